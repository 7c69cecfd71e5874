using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// The XML documentation comments of one assembly, read from the <c>.xml</c> file the compiler writes
/// beside it (<c>GenerateDocumentationFile</c>), as the texts <c>rpc.discover</c> uses: no XML is kept
/// once read. An assembly without one (or loaded from memory) has no comments, which is not an error.
/// </summary>
internal sealed class XmlDocumentation
{
    /// <summary>The largest documentation file read; a bigger one is ignored (and logged).</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>The comments of an assembly without a readable documentation file.</summary>
    public static readonly XmlDocumentation None = new(new Dictionary<string, MemberTexts>(StringComparer.Ordinal));

    private readonly Dictionary<string, MemberTexts> _members;

    private XmlDocumentation(Dictionary<string, MemberTexts> members) => _members = members;

    /// <summary>The <c>&lt;summary&gt;</c> of <paramref name="method"/>, whitespace normalized; null when there is none.</summary>
    public string? Summary(MethodInfo method) => Member(method)?.Summary;

    /// <summary>The <c>&lt;remarks&gt;</c> of <paramref name="method"/>.</summary>
    public string? Remarks(MethodInfo method) => Member(method)?.Remarks;

    /// <summary>The <c>&lt;returns&gt;</c> of <paramref name="method"/>.</summary>
    public string? Returns(MethodInfo method) => Member(method)?.Returns;

    /// <summary>The <c>&lt;param name="..."&gt;</c> of <paramref name="method"/>'s parameter <paramref name="name"/>.</summary>
    public string? Param(MethodInfo method, string name) => Member(method)?.Params?.GetValueOrDefault(name);

    /// <summary>The <c>&lt;summary&gt;</c> of <paramref name="type"/> (an actor class, say).</summary>
    public string? Summary(Type type) => Member(type)?.Summary;

    /// <summary>The <c>&lt;remarks&gt;</c> of <paramref name="type"/>.</summary>
    public string? Remarks(Type type) => Member(type)?.Remarks;

    private MemberTexts? Member(Type type) => _members.Count == 0 ? null : _members.GetValueOrDefault("T:" + XmlDocumentationIds.TypeName(type));

    private MemberTexts? Member(MethodInfo method) =>
        _members.Count == 0 || method.DeclaringType is null ? null : _members.GetValueOrDefault(XmlDocumentationIds.Of(method));

    /// <summary>
    /// Reads the documentation file beside <paramref name="assembly"/>: DTDs refused, nothing
    /// resolved, at most <see cref="MaxFileBytes"/>; a file that cannot be read is logged and ignored.
    /// </summary>
    public static XmlDocumentation Load(Assembly assembly, ILogger logger)
    {
        // Single-file and in-memory assemblies have no location, and so no file beside them.
        var location = assembly.IsDynamic ? string.Empty : assembly.Location;
        if (string.IsNullOrEmpty(location))
        {
            return None;
        }

        var path = Path.ChangeExtension(location, ".xml");
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return None;
            }

            if (file.Length > MaxFileBytes)
            {
                DiscoveryLog.XmlDocumentationTooLarge(logger, path, file.Length, MaxFileBytes);
                return None;
            }

            return Read(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            // Comments are a nicety: a damaged file leaves the methods undescribed, it does not stop discovery.
            DiscoveryLog.XmlDocumentationUnreadable(logger, path, ex);
            return None;
        }
    }

    /// <summary>The texts of a documentation file's content (<c>&lt;doc&gt;&lt;members&gt;...</c>).</summary>
    internal static XmlDocumentation Read(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = 2 * MaxFileBytes,
            IgnoreWhitespace = false,
        };
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, settings);

        // Whitespace kept: "<b>Default:</b> <c>/metrics</c>" keeps its space, Text() then collapses runs.
        var document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        var members = new Dictionary<string, MemberTexts>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            if ((string?)member.Attribute("name") is { } name)
            {
                var parameters = member.Elements("param")
                    .Select(p => ((string?)p.Attribute("name"), Text(p)))
                    .Where(p => p.Item1 is not null && p.Item2 is not null)
                    .GroupBy(p => p.Item1!, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First().Item2!, StringComparer.Ordinal);
                members[name] = new MemberTexts(
                    Text(member.Element("summary")),
                    Text(member.Element("remarks")),
                    Text(member.Element("returns")),
                    parameters.Count == 0 ? null : parameters);
            }
        }

        return new XmlDocumentation(members);
    }

    // The element's text as a reader sees it: cref and paramref targets by their short names, code as is, runs of whitespace as one space.
    private static string? Text(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = new StringBuilder();
        Append(element, text);
        var normalized = string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return normalized.Length == 0 ? null : normalized;
    }

    private static void Append(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText run:
                    text.Append(run.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see when !see.Nodes().Any():
                    text.Append(ShortName((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href") ?? string.Empty));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append((string?)reference.Attribute("name"));
                    break;
                case XElement { Name.LocalName: "para" or "br" } paragraph:
                    text.Append(' ');
                    Append(paragraph, text);
                    text.Append(' ');
                    break;
                case XElement child:
                    Append(child, text);
                    break;
            }
        }
    }

    // "M:Ns.Type.Method(System.Int32)" → "Method"; "T:Ns.Outer`1" → "Outer".
    private static string ShortName(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var parenthesis = name.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0)
        {
            name = name[..parenthesis];
        }

        name = name[(name.LastIndexOf('.') + 1)..];
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick >= 0 ? name[..tick] : name;
    }

    /// <summary>What one member's comments say, as text.</summary>
    private sealed record MemberTexts(string? Summary, string? Remarks, string? Returns, Dictionary<string, string>? Params);
}
