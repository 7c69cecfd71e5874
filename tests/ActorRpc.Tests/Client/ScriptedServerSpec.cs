using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Client;

/// <summary>
/// Specs of the client against a <see cref="ScriptedServer"/> started for each test: the clients a
/// test connects are tracked and disposed after the server's peers, which go first (aborted), so a
/// client's dispose never waits out a closing handshake nobody will answer.
/// </summary>
public abstract class ScriptedServerSpec : IAsyncLifetime
{
    private readonly List<ActorRpcClient> _clients = [];

    /// <summary>The scripted server of this test.</summary>
    protected ScriptedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ScriptedServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var client in _clients)
        {
            await client.DisposeAsync().AsTask().DefaultTimeout();
        }
    }

    /// <summary>Disposes <paramref name="client"/> with the test.</summary>
    protected void Track(ActorRpcClient client) => _clients.Add(client);
}
