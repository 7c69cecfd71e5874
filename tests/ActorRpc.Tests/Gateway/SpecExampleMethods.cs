using System.Text.Json;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Tests.Gateway;

/// <summary>The methods the examples of section 7 of the JSON-RPC 2.0 specification call.</summary>
public sealed class SpecExampleMethods
{
    [RpcMethod]
    public static long Subtract(long minuend, long subtrahend) => minuend - subtrahend;

    [RpcMethod]
    public static long Sum([RpcParams] long[] numbers) => numbers.Sum();

    [RpcMethod]
    public static void Update([RpcParams] JsonElement? values)
    {
    }

    [RpcMethod]
    public static object[] GetData() => ["hello", 5];

    [RpcMethod]
    public static void NotifyHello([RpcParams] JsonElement? values)
    {
    }

    [RpcMethod]
    public static void NotifySum([RpcParams] JsonElement? values)
    {
    }
}
