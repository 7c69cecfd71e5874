using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// The README's demo-node transcript is a tested fact: every → line is sent to a real demo node in
/// order, and the answer must be the ← line that follows (the same JSON, any member order).
/// </summary>
public sealed class ReadmeTranscriptSpec
{
    [Fact]
    public async Task DemoNodeTranscript_EveryLine_AnsweredAsTheReadmeShows()
    {
        var exchanges = DemoNodeTranscript();
        Assert.True(exchanges.Count >= 6, "The README's demo-node transcript was not found.");

        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        foreach (var (request, response) in exchanges)
        {
            await socket.SendAsync(request);
            var answer = await socket.ReceiveAsync();
            if (response.StartsWith('['))
            {
                JsonAssert.BatchEquivalent(response, answer);
            }
            else
            {
                JsonAssert.Equivalent(response, answer);
            }
        }
    }

    /// <summary>The → / ← pairs of the first transcript under "## The demo node".</summary>
    private static List<(string Request, string Response)> DemoNodeTranscript()
    {
        var lines = File.ReadAllLines(Path.Combine(ExternalProcess.RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(lines, line => line.StartsWith("## The demo node", StringComparison.Ordinal));
        var block = lines.Skip(start).SkipWhile(line => line != "```text").Skip(1).TakeWhile(line => line != "```").ToList();
        var exchanges = new List<(string, string)>();
        for (var i = 0; i + 1 < block.Count; i++)
        {
            if (block[i].StartsWith("→ ", StringComparison.Ordinal) && block[i + 1].StartsWith("← ", StringComparison.Ordinal))
            {
                exchanges.Add((block[i][2..], block[i + 1][2..]));
            }
        }

        return exchanges;
    }
}
