using System.Reflection;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// Where <c>rpc.discover</c> learns about one method: the .NET method behind it (its signature, XML
/// docs and attributes), or the actor class that serves it, plus what its registration says.
/// </summary>
/// <param name="Method">The method or delegate's method; null for an actor-backed method.</param>
/// <param name="ActorType">The per-call actor's class, when known; null otherwise.</param>
/// <param name="Summary">The registration's summary, which wins over the code's.</param>
/// <param name="Description">The registration's description, which wins over the code's.</param>
/// <param name="Errors">The registration's declared errors, listed with the code's.</param>
internal sealed record MethodDocs(MethodInfo? Method, Type? ActorType, string? Summary, string? Description, IReadOnlyList<DeclaredError> Errors)
{
    /// <summary>A method or delegate, with nothing from its registration yet.</summary>
    public static MethodDocs Of(MethodInfo method) => new(method, null, null, null, []);

    /// <summary>An actor-backed method, with nothing from its registration yet.</summary>
    public static MethodDocs OfActor(Type? actorType) => new(null, actorType, null, null, []);
}
