using System.Net.WebSockets;

namespace ActorRpc.Tests.Robustness;

/// <summary>What the server must do with one message, decided from the specification and docs/limits.md alone.</summary>
/// <param name="CloseStatuses">When not empty, the message earns a close with one of these statuses, and no reply.</param>
/// <param name="Replies">How many reply messages (0 or 1) must come.</param>
/// <param name="IsBatchReply">Whether the reply is an array (of <see cref="ReplyIds"/>.Count responses).</param>
/// <param name="ReplyIds">The raw ids the responses must carry (a multiset; "null" for none).</param>
/// <param name="ReplyCodes">For each response in <see cref="ReplyIds"/> order: the error code it must have, or null when any outcome of a valid call is allowed.</param>
/// <param name="Methods">For each response: the method of the valid call, or null.</param>
public sealed record FuzzExpectation(
    WebSocketCloseStatus[] CloseStatuses,
    int Replies,
    bool IsBatchReply,
    string[] ReplyIds,
    int?[] ReplyCodes,
    string?[] Methods)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;

    public static FuzzExpectation Close(params WebSocketCloseStatus[] statuses) => new(statuses, 0, false, [], [], []);

    public static FuzzExpectation NoReply { get; } = new([], 0, false, [], [], []);

    public static FuzzExpectation Error(int code) => new([], 1, false, ["null"], [code], [null]);
}
