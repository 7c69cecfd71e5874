using System.Text;

namespace ActorRpc.Bench.Micro;

/// <summary>The request bytes every benchmark class reads, so their numbers describe the same messages.</summary>
internal static class Payloads
{
    public static readonly byte[] Ping = """{"jsonrpc":"2.0","method":"ping","id":1}"""u8.ToArray();

    /// <summary>The same ping, of a method behind <c>[Authorize]</c>.</summary>
    public static readonly byte[] PingGuarded = """{"jsonrpc":"2.0","method":"ping_guarded","id":1}"""u8.ToArray();

    public static readonly byte[] AddPositional = """{"jsonrpc":"2.0","method":"add","params":[1,2],"id":2}"""u8.ToArray();

    public static readonly byte[] AddNamed = """{"jsonrpc":"2.0","method":"add","params":{"a":1,"b":2},"id":3}"""u8.ToArray();

    /// <summary>Ten pings in one batch, ids 1 to 10.</summary>
    public static readonly byte[] BatchOfTenPings = Encoding.UTF8.GetBytes(
        "[" + string.Join(",", Enumerable.Range(1, 10).Select(i => $$"""{"jsonrpc":"2.0","method":"ping","id":{{i}}}""")) + "]");

    /// <summary>A request with named params whose one string member makes the message about <paramref name="size"/> bytes long.</summary>
    public static byte[] NamedParamsRequest(int size)
    {
        const string Head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"text\":";
        const string Tail = "},\"id\":\"req-42\"}";
        var text = new string('x', Math.Max(0, size - Head.Length - Tail.Length - 2));
        return Encoding.UTF8.GetBytes(Head + "\"" + text + "\"" + Tail);
    }
}
