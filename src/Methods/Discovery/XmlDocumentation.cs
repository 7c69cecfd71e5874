using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// The XML documentation comments of one assembly, read from the <c>.xml</c> file the compiler writes
/// beside it (<c>GenerateDocumentationFile</c>). Each assembly's file is read once, when first asked
/// for; an assembly without one (or loaded from memory) has no comments, which is not an error.
/// </summary>
internal sealed class XmlDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, XmlDocumentation> Loaded = new();
    private static readonly XmlDocumentation None = new(new Dictionary<string, XElement>(StringComparer.Ordinal));

    private readonly Dictionary<string, XElement> _members;

    private XmlDocumentation(Dictionary<string, XElement> members) => _members = members;

    /// <summary>The comments of <paramref name="assembly"/>; empty when it has no readable documentation file.</summary>
    public static XmlDocumentation For(Assembly assembly) => Loaded.GetOrAdd(assembly, Load);

    /// <summary>The <c>&lt;summary&gt;</c> of <paramref name="method"/>, whitespace normalized; null when there is none.</summary>
    public string? Summary(MethodInfo method) => Text(Member(method)?.Element("summary"));

    /// <summary>The <c>&lt;remarks&gt;</c> of <paramref name="method"/>.</summary>
    public string? Remarks(MethodInfo method) => Text(Member(method)?.Element("remarks"));

    /// <summary>The <c>&lt;returns&gt;</c> of <paramref name="method"/>.</summary>
    public string? Returns(MethodInfo method) => Text(Member(method)?.Element("returns"));

    /// <summary>The <c>&lt;param name="..."&gt;</c> of <paramref name="method"/>'s parameter <paramref name="name"/>.</summary>
    public string? Param(MethodInfo method, string name) =>
        Text(Member(method)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name));

    /// <summary>The <c>&lt;summary&gt;</c> of <paramref name="type"/> (an actor class, say).</summary>
    public string? Summary(Type type) => Text(_members.GetValueOrDefault("T:" + XmlDocumentationIds.TypeName(type))?.Element("summary"));

    private XElement? Member(MethodInfo method) =>
        _members.Count == 0 || method.DeclaringType is null ? null : _members.GetValueOrDefault(XmlDocumentationIds.Of(method));

    private static XmlDocumentation Load(Assembly assembly)
    {
        // Single-file and in-memory assemblies have no location, and so no file beside them.
        var location = assembly.IsDynamic ? string.Empty : assembly.Location;
        if (string.IsNullOrEmpty(location))
        {
            return None;
        }

        var path = Path.ChangeExtension(location, ".xml");
        if (!File.Exists(path))
        {
            return None;
        }

        try
        {
            var document = XDocument.Load(path);
            var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (var member in document.Descendants("member"))
            {
                if ((string?)member.Attribute("name") is { } name)
                {
                    members[name] = member;
                }
            }

            return new XmlDocumentation(members);
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            // Comments are a nicety: a damaged file leaves the methods undescribed, it does not stop discovery.
            return None;
        }
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
}
