namespace ActorRpc.Client;

/// <summary>Where a connection hands each whole message it reads (on its reader, so it must not block nor keep the memory).</summary>
internal interface IRpcMessageSink
{
    /// <summary>Handles one message read from <paramref name="connection"/>; <paramref name="utf8"/> is only valid during the call.</summary>
    void OnMessage(RpcConnection connection, ReadOnlyMemory<byte> utf8);
}
