namespace ActorRpc.Client;

/// <summary>
/// The call cannot be answered: the connection it was sent on dropped (or the client was disposed,
/// or gave up reconnecting) before its answer came. It is thrown at once, when the drop is seen; a
/// call never waits for an answer that can no longer come. Whether the server ran the call is unknown.
/// </summary>
public class RpcConnectionLostException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the call could not be answered.</param>
    public RpcConnectionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that ended the connection.</summary>
    /// <param name="message">Why the call could not be answered.</param>
    /// <param name="innerException">The error that ended the connection, if any.</param>
    public RpcConnectionLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
