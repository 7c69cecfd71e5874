using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Sets Kestrel's own limits from ActorRpc's options, so that a node is held by the same numbers
/// below the endpoint as in it: <c>Limits.MaxConcurrentUpgradedConnections</c> from
/// <c>ActorRpc:Endpoint:MaxConnections</c> (and <c>Limits.MaxConcurrentConnections</c> from twice it), and <c>Limits.MinRequestBodyDataRate</c> from
/// <c>ActorRpc:Endpoint:MinRequestBodyDataRate</c> (5 s grace, as Kestrel's). Each only where the
/// application left Kestrel's default (null connection limits; 240 bytes/s with 5 s grace). A
/// value the application set wins: one set before <c>AddActorRpc</c> (<c>ConfigureKestrel</c>, or
/// <c>Configure&lt;KestrelServerOptions&gt;(configuration.GetSection("Kestrel"))</c>) is seen here
/// and kept, one set after it runs after this. Registered by <c>AddActorRpc</c>.
/// </summary>
internal sealed class KestrelLimitsSetup(IOptions<RpcEndpointOptions> endpoint) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>Kestrel's own default body rate, which ours replaces: 240 bytes/s after a 5 s grace.</summary>
    internal const double KestrelDefaultBytesPerSecond = 240;

    /// <summary>The grace period of the body rate, as Kestrel's: a request may start slowly.</summary>
    internal static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    public void Configure(KestrelServerOptions options)
    {
        var limits = options.Limits;
        var ours = endpoint.Value;

        // A backstop behind the endpoint's own 503 (which comes first, at the same number).
        limits.MaxConcurrentUpgradedConnections ??= ours.MaxConnections;

        // Every TCP connection, idle keep-alive and half-sent headers included, which the endpoint never
        // sees: room for MaxConnections of ours plus as many again for probes, scrapes and requests on
        // their way to a 503, so a flood of connections is refused by Kestrel instead of piling up.
        limits.MaxConcurrentConnections ??= 2L * ours.MaxConnections;

        if (limits.MinRequestBodyDataRate is { } rate
            && rate.BytesPerSecond == KestrelDefaultBytesPerSecond
            && rate.GracePeriod == GracePeriod)
        {
            limits.MinRequestBodyDataRate = ours.MinRequestBodyDataRate > 0 ? new MinDataRate(ours.MinRequestBodyDataRate, GracePeriod) : null;
        }
    }
}
