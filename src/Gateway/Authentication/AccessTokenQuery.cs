using ActorRpc.Gateway.Endpoints;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ActorRpc.Gateway.Authentication;

/// <summary>
/// Lets JwtBearer read the token from the <c>access_token</c> query parameter of a request to an
/// ActorRpc endpoint that has no <c>Authorization</c> header, since a browser cannot set headers on a
/// WebSocket. Only ActorRpc's endpoints: the application's other endpoints keep refusing tokens in
/// URLs, which end up in proxies' and servers' logs. The application's own
/// <c>OnMessageReceived</c> runs first and wins when it found a token.
/// </summary>
internal sealed class AccessTokenQuery : IPostConfigureOptions<JwtBearerOptions>
{
    /// <summary>The query parameter, as SignalR names it.</summary>
    public const string ParameterName = "access_token";

    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        options.Events ??= new JwtBearerEvents();
        var previous = options.Events.OnMessageReceived;
        options.Events.OnMessageReceived = async context =>
        {
            await previous(context).ConfigureAwait(false);
            if (context.Token is null
                && context.Result is null
                && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ActorRpcEndpointMetadata>() is not null
                && !context.Request.Headers.ContainsKey(HeaderNames.Authorization)
                && context.Request.Query.TryGetValue(ParameterName, out var token)
                && token.Count == 1
                && !string.IsNullOrEmpty(token[0]))
            {
                context.Token = token[0];
            }
        };
    }
}
