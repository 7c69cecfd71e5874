using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// The README's demo-node transcripts are tested facts: every → line is sent to a real demo node in
/// order, and the answer must be the ← line that follows (the same JSON, any member order).
/// </summary>
public sealed class ReadmeTranscriptSpec
{
    [Fact]
    public async Task DemoNodeTranscript_EveryLine_AnsweredAsTheReadmeShows()
    {
        var exchanges = Transcript("## The demo node");
        Assert.True(exchanges.Count >= 6, "The README's demo-node transcript was not found.");

        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        await ReplayAsync(socket, exchanges);
    }

    /// <summary>
    /// Issue 13: the Security section's walkthrough, as a newcomer runs it: the node in Development
    /// (its development-only key, so appsettings.Development.json must be next to the binary), a
    /// token from the demo's token command with the same arguments, and the transcript over a
    /// WebSocket carrying that token.
    /// </summary>
    [Fact]
    public async Task DevelopmentKeyTranscript_TokenFromTheTokenCommand_AnsweredAsTheReadmeShows()
    {
        var exchanges = Transcript("**Trying it on the demo node.**");
        Assert.True(exchanges.Count >= 3, "The README's authentication transcript was not found.");

        using var token = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, DemoTokenCommand.Run(["--environment", "Development", "--name", "alice", "--permission", "admin", "--permission", "publish"], token, error));

        await using var server = await RpcServer.StartAsync(null, "--environment", "Development");
        await using var socket = await RpcTestSocket.ConnectAsync(
            server.WebSocketUri, options => options.SetRequestHeader("Authorization", $"Bearer {token.ToString().Trim()}"));
        await ReplayAsync(socket, exchanges);
    }

    private static async Task ReplayAsync(RpcTestSocket socket, List<(string Request, string Response)> exchanges)
    {
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

    /// <summary>The → / ← pairs of the first transcript after the first line starting with <paramref name="marker"/>.</summary>
    private static List<(string Request, string Response)> Transcript(string marker)
    {
        var lines = File.ReadAllLines(Path.Combine(ExternalProcess.RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(lines, line => line.StartsWith(marker, StringComparison.Ordinal));
        Assert.True(start >= 0, $"No line of README.md starts with {marker}.");
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
