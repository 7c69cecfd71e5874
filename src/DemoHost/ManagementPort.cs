using System.Globalization;

namespace ActorRpc.DemoHost;

/// <summary>
/// The demo node's management port (<c>Management:Port</c>): when set, the node also listens on it,
/// and <c>/metrics</c>, <c>/healthz</c> and <c>/ready</c> answer only there (404 on the public
/// port), so probes and scrapes stay inside the cluster while clients reach the public port.
/// </summary>
/// <remarks>
/// Kestrel serves either the addresses of <c>--urls</c> / <c>ASPNETCORE_URLS</c> /
/// <c>ASPNETCORE_HTTP_PORTS</c> or the endpoints of <c>Kestrel:Endpoints</c> (and of
/// <c>Listen</c> calls), never both: adding a <c>Listen</c> in code would silently drop the
/// configured URLs ("Overriding address(es)"). So the management address joins whichever set is in
/// use, and takes the host of the node's first address (<c>*</c> in a container, 127.0.0.1 on a laptop).
/// </remarks>
internal static class ManagementPort
{
    /// <summary>The configuration key of the port: an int, 0 (the default) for none.</summary>
    public const string PortKey = "Management:Port";

    private const string EndpointKey = "Kestrel:Endpoints:Management:Url";

    /// <summary>Reads <c>Management:Port</c> and adds its address to the node's; returns the port, 0 when off.</summary>
    /// <param name="builder">The node's builder, before it is built.</param>
    /// <param name="defaultUrl">The address the node listens on when nothing else was configured.</param>
    /// <exception cref="InvalidOperationException">The port is not a number from 0 to 65535, or is one the node already serves.</exception>
    public static int Listen(WebApplicationBuilder builder, string defaultUrl)
    {
        var configuration = builder.Configuration;
        var value = configuration[PortKey];
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new InvalidOperationException($"{PortKey} must be a port from 1 to 65535, or 0 for none (it is '{value}').");
        }

        if (port == 0)
        {
            return 0;
        }

        var endpoints = configuration.GetSection("Kestrel:Endpoints");
        if (endpoints.Exists())
        {
            // Configured endpoints replace the URLs, so the management port is one more of them.
            var urls = endpoints.GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>().ToList();
            configuration.AddInMemoryCollection([new(EndpointKey, ManagementUrl(urls, port))]);
        }
        else
        {
            var urls = ConfiguredUrls(configuration, defaultUrl);
            builder.WebHost.UseUrls([.. urls, ManagementUrl(urls, port)]);

            // Now in the URLs; left set, they would earn a warning that the URLs override them.
            builder.WebHost.UseSetting("http_ports", string.Empty);
            builder.WebHost.UseSetting("https_ports", string.Empty);
        }

        return port;
    }

    /// <summary>
    /// Keeps <paramref name="endpoints"/> (metrics, health) to connections on <paramref name="port"/>.
    /// The local-port requirement is the check: the <c>Host</c> header that <c>RequireHost</c> matches
    /// is the client's to choose, the connection's port is not. The host requirement only routes.
    /// </summary>
    public static TBuilder OnlyOnManagementPort<TBuilder>(this TBuilder endpoints, int port)
        where TBuilder : IEndpointConventionBuilder
    {
        if (port == 0)
        {
            return endpoints;
        }

        return endpoints
            .RequireHost($"*:{port.ToString(CultureInfo.InvariantCulture)}")
            .RequireLocalPort(port);
    }

    // The addresses the web host would use by itself: --urls / ASPNETCORE_URLS first, then the ports
    // variables (expanded as ASP.NET Core does), then the demo's default.
    private static List<string> ConfiguredUrls(IConfiguration configuration, string defaultUrl)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return Split(urls);
        }

        var fromPorts = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"))
            .ToList();
        return fromPorts.Count > 0 ? fromPorts : [defaultUrl];
    }

    private static string ManagementUrl(List<string> urls, int port)
    {
        var addresses = urls.Select(BindingAddress.Parse).ToList();
        if (addresses.Any(address => address.Port == port))
        {
            throw new InvalidOperationException(
                $"{PortKey} is {port}, a port the node already serves to clients ({string.Join(", ", urls)}): choose another one, or 0 for none.");
        }

        // The host of the first address: every interface in a container (so probes and scrapes from
        // other pods arrive), loopback on a developer's machine.
        var host = addresses.FirstOrDefault()?.Host ?? "127.0.0.1";
        return $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static List<string> Split(string? list) =>
        [.. (list ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
