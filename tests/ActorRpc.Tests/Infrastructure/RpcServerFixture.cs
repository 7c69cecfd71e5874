using Microsoft.AspNetCore.Builder;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>One node shared by the tests of a class; subclasses add methods or topics.</summary>
public class RpcServerFixture : IAsyncLifetime
{
    private RpcServer? _server;

    public RpcServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync() => _server = await RpcServer.StartAsync(Configure);

    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
