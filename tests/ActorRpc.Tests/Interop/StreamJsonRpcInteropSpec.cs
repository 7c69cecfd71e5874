using System.Net.WebSockets;
using ActorRpc.Tests.Infrastructure;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace ActorRpc.Tests.Interop;

/// <summary>
/// Microsoft's StreamJsonRpc as a client of a real node: a <see cref="JsonRpc"/> over a
/// <see cref="WebSocketMessageHandler"/> around a <see cref="ClientWebSocket"/>. Every behaviour
/// runs once per formatter (<see cref="JsonMessageFormatterInteropSpec"/> and <see cref="SystemTextJsonFormatterInteropSpec"/>), because the
/// formatters write requests and read responses with different code.
/// </summary>
public abstract class StreamJsonRpcInteropSpec(RpcServerFixture fixture) : IClassFixture<RpcServerFixture>
{
    /// <summary>A fresh formatter for one connection; formatters are bound to a single <see cref="JsonRpc"/>.</summary>
    protected abstract IJsonRpcMessageFormatter CreateFormatter();

    [Fact]
    public async Task Add_PositionalArgs_ReturnsSum()
    {
        using var client = await ConnectAsync();

        var sum = await client.Rpc.InvokeAsync<long>("add", 2, 3).DefaultTimeout();

        Assert.Equal(5, sum);
    }

    [Fact]
    public async Task Ping_NoArgs_ReturnsPong()
    {
        using var client = await ConnectAsync();

        var pong = await client.Rpc.InvokeAsync<string>("ping").DefaultTimeout();

        Assert.Equal("pong", pong);
    }

    [Fact]
    public async Task Echo_NoArgs_ServerSeesEmptyParamsArray()
    {
        // StreamJsonRpc sends "params": [] for a call without arguments (rather than leaving
        // params out). echo returns its params as given, so [] (not null) proves the server
        // accepted the empty array as positional params.
        using var client = await ConnectAsync();

        var echoed = await client.Rpc.InvokeAsync<string[]?>("echo").DefaultTimeout();

        Assert.NotNull(echoed);
        Assert.Empty(echoed);
    }

    [Fact]
    public async Task Echo_PositionalArgs_ReturnsThemInOrder()
    {
        using var client = await ConnectAsync();

        var echoed = await client.Rpc.InvokeAsync<string[]>("echo", "a", "b", "ü").DefaultTimeout();

        Assert.Equal(["a", "b", "ü"], echoed);
    }

    [Fact]
    public async Task GetMethods_NoArgs_ListsPing()
    {
        using var client = await ConnectAsync();

        var methods = await client.Rpc.InvokeAsync<string[]>("get_methods").DefaultTimeout();

        Assert.Contains("ping", methods);
        Assert.Contains("get_methods", methods);
    }

    [Fact]
    public async Task Add_NamedParams_ReturnsSum()
    {
        using var client = await ConnectAsync();

        var sum = await client.Rpc.InvokeWithParameterObjectAsync<long>("add", new { a = 2, b = 3 }).DefaultTimeout();

        Assert.Equal(5, sum);
    }

    [Fact]
    public async Task Divide_NamedParamsInAnyOrder_BindsByName()
    {
        using var client = await ConnectAsync();

        var quotient = await client.Rpc.InvokeWithParameterObjectAsync<long>("divide", new { b = 4, a = 12 }).DefaultTimeout();

        Assert.Equal(3, quotient);
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("computer_says_no")]
    [InlineData("no_such_method")]
    public async Task Notify_AnyMethod_GetsNoResponseAndConnectionStaysUsable(string method)
    {
        using var client = await ConnectAsync();

        await client.Rpc.NotifyAsync(method).DefaultTimeout();
        var pong = await client.Rpc.InvokeAsync<string>("ping").DefaultTimeout();

        // One request, so one message: a second would be a reply to the notification, which
        // JSON-RPC forbids even when the method fails or does not exist.
        Assert.Equal("pong", pong);
        await client.Handler.ExpectNoMoreThanAsync(1);
    }

    [Fact]
    public async Task ComputerSaysNo_Called_ThrowsRemoteInvocationExceptionWithServerCode()
    {
        using var client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<RemoteInvocationException>(() => client.Rpc.InvokeAsync("computer_says_no").DefaultTimeout());

        Assert.Equal(-32050, ex.ErrorCode);
        Assert.Equal("Computer says no.", ex.Message);
    }

    [Fact]
    public async Task Divide_ByZero_ThrowsRemoteInvocationExceptionWithInternalError()
    {
        using var client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<RemoteInvocationException>(() => client.Rpc.InvokeAsync<long>("divide", 1, 0).DefaultTimeout());

        Assert.Equal(-32603, ex.ErrorCode);

        // DetailedErrors is off by default, so the handler's exception text must not leak.
        Assert.DoesNotContain("divide", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownMethod_Called_ThrowsRemoteMethodNotFoundException()
    {
        using var client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => client.Rpc.InvokeAsync("no_such_method").DefaultTimeout());

        Assert.Equal(-32601, (int)ex.ErrorCode);
        Assert.Equal("no_such_method", ex.TargetMethod);
    }

    [Fact]
    public async Task Add_NonNumericArg_ThrowsInvalidParams()
    {
        using var client = await ConnectAsync();

        // StreamJsonRpc reports -32602 as RemoteMethodNotFoundException ("no overload takes these
        // arguments"), not as RemoteInvocationException; the code is what tells them apart.
        var ex = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => client.Rpc.InvokeAsync<long>("add", "two", 3).DefaultTimeout());

        Assert.Equal(-32602, (int)ex.ErrorCode);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_MissingNamedParam_ThrowsInvalidParams()
    {
        using var client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => client.Rpc.InvokeWithParameterObjectAsync<long>("add", new { a = 2 }).DefaultTimeout());

        Assert.Equal(-32602, (int)ex.ErrorCode);
    }

    [Fact]
    public async Task Ping_WhileSleepInFlight_CompletesFirst()
    {
        using var client = await ConnectAsync();

        var sleep = client.Rpc.InvokeAsync<int>("sleep", 500);
        var pong = await client.Rpc.InvokeAsync<string>("ping").DefaultTimeout();

        // Had the server run calls one at a time, the sleep's response would have come first.
        Assert.Equal("pong", pong);
        Assert.False(sleep.IsCompleted, "The ping waited for the sleep.");
        Assert.Equal(500, await sleep.DefaultTimeout());
    }

    [Fact]
    public async Task Invoke_CancelledAfterSending_NoReplyToCancelRequestAndConnectionStaysUsable()
    {
        // Cancelling a sent request makes StreamJsonRpc send its "$/cancelRequest" notification
        // and then wait for the server's response. ActorRpc does not know that method, so the
        // sleep runs to the end and its result is returned; a server that honoured it would
        // answer with an error instead, so both outcomes are accepted here. What must hold is
        // that the notification gets no reply and the connection carries on.
        using var client = await ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var sent = client.Handler.WhenSentAsync(message => message is JsonRpcRequest { Method: "sleep" });

        var sleep = client.Rpc.InvokeWithCancellationAsync<int>("sleep", [300], cancel.Token);
        await sent.DefaultTimeout();
        await cancel.CancelAsync();

        var outcome = await Record.ExceptionAsync(() => sleep.DefaultTimeout());
        Assert.True(outcome is null or OperationCanceledException, $"Unexpected outcome: {outcome}");
        await client.Handler.WhenSentAsync(message => message is JsonRpcRequest { Method: "$/cancelRequest" }).DefaultTimeout();
        Assert.Equal("pong", await client.Rpc.InvokeAsync<string>("ping").DefaultTimeout());
        await client.Handler.ExpectNoMoreThanAsync(2);
    }

    private async Task<Client> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(fixture.Server.WebSocketUri, CancellationToken.None).DefaultTimeout();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var handler = new RecordingWebSocketMessageHandler(socket, CreateFormatter());
        var rpc = new JsonRpc(handler);
        rpc.StartListening();
        return new Client(socket, handler, rpc);
    }

    /// <summary>One StreamJsonRpc connection; disposing it disposes the <see cref="JsonRpc"/> and the socket.</summary>
    /// <remarks>
    /// No close handshake: when the client starts one (CloseOutputAsync), WebSocketMessageHandler
    /// answers the server's echoed close frame with CloseAsync on an already closed socket and
    /// faults <see cref="JsonRpc.Completion"/> (StreamJsonRpc 2.26). Disposing aborts the socket,
    /// which the server treats as a lost connection.
    /// </remarks>
    private sealed class Client(ClientWebSocket socket, RecordingWebSocketMessageHandler handler, JsonRpc rpc) : IDisposable
    {
        public RecordingWebSocketMessageHandler Handler { get; } = handler;

        public JsonRpc Rpc { get; } = rpc;

        public void Dispose()
        {
            Rpc.Dispose();

            // WebSocketMessageHandler does not own the socket.
            socket.Dispose();
        }
    }

    /// <summary>
    /// Records every message written and read, so a test can wait for a request to leave and see
    /// replies nobody awaits (StreamJsonRpc drops responses whose id it does not know).
    /// </summary>
    private sealed class RecordingWebSocketMessageHandler(WebSocket socket, IJsonRpcMessageFormatter formatter)
        : WebSocketMessageHandler(socket, formatter)
    {
        private readonly Lock _gate = new();
        private readonly List<JsonRpcMessage> _sent = [];
        private readonly List<string> _received = [];
        private event Action? Changed;

        /// <summary>Completes once a message matching <paramref name="predicate"/> has been written (or already was).</summary>
        public Task WhenSentAsync(Func<JsonRpcMessage, bool> predicate) =>
            WhenAsync(() => _sent.Any(predicate) ? string.Empty : null, CancellationToken.None);

        /// <summary>Fails if more than <paramref name="count"/> messages arrive, waiting the short timeout for latecomers.</summary>
        public async Task ExpectNoMoreThanAsync(int count)
        {
            using var window = new CancellationTokenSource(TestTimeouts.Short);
            string received;
            try
            {
                received = await WhenAsync(() => _received.Count > count ? string.Join("; ", _received) : null, window.Token);
            }
            catch (OperationCanceledException)
            {
                return; // Nothing more arrived within the window.
            }

            Assert.Fail($"Expected at most {count} message(s) but got: {received}");
        }

        protected override async ValueTask WriteCoreAsync(JsonRpcMessage content, CancellationToken cancellationToken)
        {
            await base.WriteCoreAsync(content, cancellationToken).ConfigureAwait(false);
            Record(() => _sent.Add(content));
        }

        protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
        {
            var message = await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            if (message is not null)
            {
                // Described now: the formatter may recycle the message's buffers once it is handled.
                var description = Describe(message);
                Record(() => _received.Add(description));
            }

            return message;
        }

        private static string Describe(JsonRpcMessage message) => message switch
        {
            JsonRpcError error => $"error {error.Error?.Code} '{error.Error?.Message}' for id {error.RequestId}",
            JsonRpcResult result => $"result for id {result.RequestId}",
            JsonRpcRequest request => $"request '{request.Method}' with id {request.RequestId}",
            _ => message.GetType().Name,
        };

        private void Record(Action change)
        {
            lock (_gate)
            {
                change();
            }

            Changed?.Invoke();
        }

        /// <summary>Completes with the first non-null value of <paramref name="probe"/>, evaluated now and after every change.</summary>
        private async Task<string> WhenAsync(Func<string?> probe, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
            void Check()
            {
                lock (_gate)
                {
                    if (probe() is { } value)
                    {
                        done.TrySetResult(value);
                    }
                }
            }

            Changed += Check;
            try
            {
                Check();
                return await done.Task.ConfigureAwait(false);
            }
            finally
            {
                Changed -= Check;
            }
        }
    }
}
