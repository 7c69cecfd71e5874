namespace ActorRpc.Methods.Discovery;

/// <summary>An error a method declares (<see cref="ProducesRpcErrorAttribute"/>, or <c>ProducesRpcError</c> on its registration).</summary>
internal readonly record struct DeclaredError(int Code, string Message);
