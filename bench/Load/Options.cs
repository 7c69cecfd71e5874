using System.Globalization;

namespace ActorRpc.Bench.Load;

/// <summary><c>--name value</c> pairs and bare <c>--flag</c>s; repeated names keep every value.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);

    public static Options Parse(IEnumerable<string> args)
    {
        var options = new Options();
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    options.Add(name, "true");
                }

                name = arg[2..];
            }
            else if (name is not null)
            {
                options.Add(name, arg);
                name = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }
        }

        if (name is not null)
        {
            options.Add(name, "true");
        }

        return options;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var v) ? v[^1] : fallback;

    public string Require(string name) =>
        _values.TryGetValue(name, out var v) ? v[^1] : throw new ArgumentException($"--{name} is required");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public int Int(string name, int fallback) => Has(name) ? int.Parse(Get(name, ""), CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Has(name) ? double.Parse(Get(name, ""), CultureInfo.InvariantCulture) : fallback;

    /// <summary>Every <c>--pid</c> given (repeatable, or comma-separated).</summary>
    public int[] Pids() =>
        [.. All("pid").SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }

        list.Add(value);
    }
}
