using System.Text.Json;
using Akka.Actor;

namespace ActorRpc;

/// <summary>The message an actor-backed method's handler actor receives, once.</summary>
/// <param name="Context">Who called and how.</param>
/// <param name="Params">The params member, or null when absent.</param>
public sealed record RpcInvocation(RpcContext Context, JsonElement? Params) : INoSerializationVerificationNeeded;

/// <summary>The success answer of a handler actor to its <see cref="RpcInvocation"/>.</summary>
/// <param name="Result">Serialized as the response's <c>result</c> with the server's JSON options.</param>
public sealed record RpcReply(object? Result) : INoSerializationVerificationNeeded;
