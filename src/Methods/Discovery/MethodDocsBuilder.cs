namespace ActorRpc.Methods.Discovery;

/// <summary>What one registration's convention builder says about its methods (<c>WithSummary</c>, <c>ProducesRpcError</c>).</summary>
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
