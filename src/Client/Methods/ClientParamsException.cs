namespace ActorRpc.Client;

/// <summary>Params the server sent that do not fit a client-side method's parameters (answered -32602).</summary>
internal sealed class ClientParamsException(string message, Exception? inner = null) : Exception(message, inner);
