using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Client;

/// <summary>
/// The calls-only connection of an <c>http(s)://</c> client: each message is one POST
/// (<c>Content-Type: application/json</c>), whose body holds the answers, handed to the sink before
/// <see cref="SendAsync"/> returns; 204 means nothing was answered (notifications only).
/// </summary>
internal sealed class HttpConnection : RpcConnection
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly ActorRpcClientOptions _options;
    private readonly IRpcMessageSink _sink;
    private readonly ILogger _logger;

    public HttpConnection(Uri uri, ActorRpcClientOptions options, IRpcMessageSink sink, ILogger logger)
    {
        _uri = uri;
        _options = options;
        _sink = sink;
        _logger = logger;

        // Timeouts are the calls' own (DefaultTimeout or per call), not HttpClient's.
        _http = new HttpClient(options.HttpMessageHandlerFactory?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <inheritdoc/>
    public override bool IsDuplex => false;

    /// <inheritdoc/>
    /// <exception cref="HttpRequestException">The server answered with a status other than 200 or 204 (401, 413, 415, 5xx...).</exception>
    /// <exception cref="RpcConnectionLostException">The request failed on the network.</exception>
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new ReadOnlyMemoryContent(message) };
        request.Content.Headers.ContentType = Json;
        var token = await AccessTokens.GetAsync(_options, cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RpcConnectionLostException("The HTTP request failed: " + ex.Message, ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The server answered the POST with {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }

            if (response.Content.Headers.ContentLength > _options.MaxMessageSize)
            {
                throw new RpcConnectionLostException($"The server's answer is larger than MaxMessageSize ({_options.MaxMessageSize} bytes).");
            }

            var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            ClientLog.HttpAnswered(_logger, body.Length);
            _sink.OnMessage(this, body);
        }
    }

    /// <inheritdoc/>
    public override Task CloseAsync(TimeSpan timeout)
    {
        End(new ConnectionEnd("The client closed.", null));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > _options.MaxMessageSize)
                {
                    throw new RpcConnectionLostException($"The server's answer is larger than MaxMessageSize ({_options.MaxMessageSize} bytes).");
                }

                body.Write(chunk, 0, read);
            }

            return body.GetBuffer().AsMemory(0, (int)body.Length);
        }
    }
}
