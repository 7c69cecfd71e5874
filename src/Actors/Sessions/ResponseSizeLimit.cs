using System.Text.Json;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// MaxResponseSize: the most bytes the answer to one message may take. A single response past it
/// becomes -32603 with the same id; a batch's array past it becomes one -32603 with id null
/// (<see cref="BatchResponse"/> stops collecting as soon as it knows). Either message names the setting.
/// </summary>
internal static class ResponseSizeLimit
{
    /// <summary><paramref name="frame"/> if it fits in <paramref name="maxResponseSize"/>; else the error answering <paramref name="id"/>.</summary>
    public static byte[] Apply(byte[] frame, ReadOnlyMemory<byte> id, int maxResponseSize, JsonSerializerOptions options) =>
        frame.Length <= maxResponseSize ? frame : JsonRpcResponseWriter.Error(id, RpcError.ResponseTooLarge(maxResponseSize, batch: false), options);
}
