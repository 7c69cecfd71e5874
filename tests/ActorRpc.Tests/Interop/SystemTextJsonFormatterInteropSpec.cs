using ActorRpc.Tests.Infrastructure;
using StreamJsonRpc;

namespace ActorRpc.Tests.Interop;

/// <summary>StreamJsonRpc's System.Text.Json formatter.</summary>
public sealed class SystemTextJsonFormatterInteropSpec(RpcServerFixture fixture) : StreamJsonRpcInteropSpec(fixture)
{
    protected override IJsonRpcMessageFormatter CreateFormatter() => new SystemTextJsonFormatter();
}
