using System.Reflection;

namespace ActorRpc.Methods.Discovery;

/// <summary>An error a method declares (<see cref="RpcErrorAttribute"/>, or <c>ProducesError</c> on its registration).</summary>
internal readonly record struct DeclaredError(int Code, string Message);

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

/// <summary>What one registration's convention builder says about its methods (<c>WithSummary</c>, <c>ProducesError</c>).</summary>
internal sealed class MethodDocsBuilder
{
    private readonly List<DeclaredError> _errors = [];

    public string? Summary { get; set; }

    public string? Description { get; set; }

    public void AddError(int code, string message) => _errors.Add(new DeclaredError(code, message));

    /// <summary><paramref name="docs"/> with this registration's summary, description and errors.</summary>
    public MethodDocs ApplyTo(MethodDocs docs) => docs with
    {
        Summary = Summary ?? docs.Summary,
        Description = Description ?? docs.Description,
        Errors = [.. docs.Errors, .. _errors],
    };
}
