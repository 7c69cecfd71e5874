using ActorRpc.Tests.Infrastructure;
using StreamJsonRpc;

namespace ActorRpc.Tests.Interop;

/// <summary>StreamJsonRpc's default formatter (Newtonsoft.Json).</summary>
public sealed class JsonMessageFormatterInteropSpec(RpcServerFixture fixture) : StreamJsonRpcInteropSpec(fixture)
{
    protected override IJsonRpcMessageFormatter CreateFormatter() => new JsonMessageFormatter();
}
