using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// The documentation files one rendering of the document reads, each once. It lives as long as that
/// rendering (<see cref="OpenRpcDocumentBuilder"/>), not the process: nothing read stays in memory
/// after the document is rendered. Used on one thread.
/// </summary>
internal sealed class XmlDocumentationFiles(ILogger logger)
{
    private readonly Dictionary<Assembly, XmlDocumentation> _loaded = [];

    /// <summary>The comments of <paramref name="assembly"/>; empty when it has no readable documentation file.</summary>
    public XmlDocumentation For(Assembly assembly)
    {
        if (!_loaded.TryGetValue(assembly, out var documentation))
        {
            documentation = XmlDocumentation.Load(assembly, logger);
            _loaded[assembly] = documentation;
        }

        return documentation;
    }

    /// <summary>Uses <paramref name="documentation"/> as <paramref name="assembly"/>'s comments, instead of its file (for specs).</summary>
    internal void Use(Assembly assembly, XmlDocumentation documentation) => _loaded[assembly] = documentation;
}
