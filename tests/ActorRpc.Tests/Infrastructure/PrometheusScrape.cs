using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>One scrape of a node's <c>/metrics</c>, in Prometheus text format, with lookups by name and labels.</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text)
    {
        Text = text;
        Samples = [.. text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Sample(
                match.Groups["name"].Value,
                LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value),
                double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)))];
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<PrometheusScrape> GetAsync(RpcServer server)
    {
        using var response = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative)).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The samples named <paramref name="name"/> that carry every label given.</summary>
    public IReadOnlyList<Sample> Find(string name, params (string Label, string Value)[] labels) =>
        [.. Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))];

    /// <summary>The sum of <see cref="Find"/>'s samples; fails when there is none.</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        var found = Find(name, labels);
        Assert.True(found.Count > 0, $"No sample {name} with {string.Join(", ", labels)} in:\n{Text}");
        return found.Sum(s => s.Value);
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
