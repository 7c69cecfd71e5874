using System.Globalization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Keeps endpoints to the server ports a request arrived on, such as a management port.</summary>
public static class LocalPortEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Serves the endpoints only to requests that arrived on one of <paramref name="ports"/> (the
    /// connection's local port); a request that arrived on any other port gets 404, as if the
    /// endpoint were not mapped. Use it to keep <c>/metrics</c>, <c>/healthz</c> and <c>/ready</c> on a
    /// management port that only the cluster reaches.
    /// </summary>
    /// <remarks>
    /// <c>RequireHost("*:8081")</c> alone does not do this: it matches the <c>Host</c> header, which
    /// the client chooses, so a client of the public port that sends <c>Host: x:8081</c> would be
    /// served. The local port is the server's own. Combine both when the host requirement helps
    /// routing (the same path mapped differently per port).
    /// </remarks>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoints to restrict.</param>
    /// <param name="ports">The local ports the endpoints answer on, each from 1 to 65535; at least one.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="ports"/> is empty or holds a number that is no port.</exception>
    public static TBuilder RequireLocalPort<TBuilder>(this TBuilder builder, params int[] ports)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Length == 0)
        {
            throw new ArgumentException("Name at least one local port.", nameof(ports));
        }

        foreach (var port in ports)
        {
            if (port is < 1 or > 65535)
            {
                throw new ArgumentException($"{port.ToString(CultureInfo.InvariantCulture)} is not a port from 1 to 65535.", nameof(ports));
            }
        }

        var allowed = ports.ToHashSet();
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate
                ?? throw new InvalidOperationException($"RequireLocalPort needs an endpoint with a request delegate ({endpoint.DisplayName}).");
            endpoint.RequestDelegate = context =>
            {
                if (allowed.Contains(context.Connection.LocalPort))
                {
                    return inner(context);
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            };
        });
        return builder;
    }
}
