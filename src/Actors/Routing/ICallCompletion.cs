namespace ActorRpc.Actors.Routing;

/// <summary>
/// Takes the end of a call where the session lets its handler answer directly (see
/// <c>DirectCompletions</c>), instead of a <see cref="RouterProtocol.InvocationCompleted"/> message.
/// Called once per call, from the handler's thread.
/// </summary>
internal interface ICallCompletion
{
    /// <param name="sequence">The session's number for the call.</param>
    /// <param name="frame">The response, or null for a notification.</param>
    void Completed(long sequence, byte[]? frame);
}
