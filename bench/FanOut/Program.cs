using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

// Usage: dotnet run -c Release --project bench/FanOut -- <subscribers> <notifies> <ws-url> [<ws-url> ...]
// Subscribers are spread round-robin over the URLs (one per node); the publisher uses the last URL.
// Prints delivered notifications per second (subscribers x notifies / time from first publish to
// last delivery) and the lost count. Loopback only; bounded by count and a 2-minute deadline.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: FanOut <subscribers> <notifies> <ws-url> [<ws-url> ...]");
    return 2;
}

var subscriberCount = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var notifies = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var urls = args[2..].Select(u => new Uri(u)).ToArray();
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var run = Guid.NewGuid().ToString("N");
var runBytes = Encoding.UTF8.GetBytes(run);

var subscribers = new List<ClientWebSocket>();
for (var i = 0; i < subscriberCount; i++)
{
    var socket = new ClientWebSocket();
    await socket.ConnectAsync(urls[i % urls.Length], deadline.Token);
    await SendAsync(socket, """{"jsonrpc":"2.0","method":"subscribe","params":["news"],"id":1}""");
    subscribers.Add(socket);
}

var counts = new int[subscriberCount];
var warm = new TaskCompletionSource[subscriberCount];
var done = new TaskCompletionSource[subscriberCount];
var lastDelivery = new long[subscriberCount];
for (var i = 0; i < subscriberCount; i++)
{
    warm[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
}

var readers = subscribers.Select((socket, i) => Task.Run(async () =>
{
    var buffer = new byte[16 * 1024];
    while (!deadline.IsCancellationRequested)
    {
        var result = await socket.ReceiveAsync(buffer, deadline.Token);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return;
        }

        var text = buffer.AsSpan(0, result.Count);
        if (text.IndexOf("\"warm\""u8) >= 0)
        {
            warm[i].TrySetResult();
        }
        else if (text.IndexOf(runBytes) >= 0 && ++counts[i] == notifies)
        {
            lastDelivery[i] = Stopwatch.GetTimestamp();
            done[i].TrySetResult();
        }
    }
})).ToList();

// Subscriptions reach other nodes by gossip: publish a warm-up notify until every subscriber has one.
var publisher = new ClientWebSocket();
await publisher.ConnectAsync(urls[^1], deadline.Token);
var drain = Task.Run(async () =>
{
    var buffer = new byte[4096];
    while (publisher.State == WebSocketState.Open && !deadline.IsCancellationRequested)
    {
        await publisher.ReceiveAsync(buffer, deadline.Token);
    }
});
while (!Task.WhenAll(warm.Select(w => w.Task)).IsCompleted)
{
    await SendAsync(publisher, """{"jsonrpc":"2.0","method":"publish","params":{"topic":"news","data":{"warm":true}}}""");
    await Task.WhenAny(Task.WhenAll(warm.Select(w => w.Task)), Task.Delay(200, deadline.Token));
}

var start = Stopwatch.GetTimestamp();
for (var i = 0; i < notifies; i++)
{
    await SendAsync(publisher, "{\"jsonrpc\":\"2.0\",\"method\":\"publish\",\"params\":{\"topic\":\"news\",\"data\":{\"run\":\"" + run + "\",\"seq\":" + i + "}}}");
}

var all = Task.WhenAll(done.Select(d => d.Task));
await Task.WhenAny(all, Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
var end = all.IsCompleted ? lastDelivery.Max() : Stopwatch.GetTimestamp();
var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
long delivered = counts.Sum();
var expected = (long)subscriberCount * notifies;
Console.WriteLine($"nodes={urls.Length} subscribers={subscriberCount} notifies={notifies} delivered={delivered} lost={expected - delivered} seconds={seconds:F3} delivered_per_second={delivered / seconds:F0}");
Console.WriteLine($$"""{"nodes":{{urls.Length}},"subscribers":{{subscriberCount}},"notifies":{{notifies}},"delivered":{{delivered}},"lost":{{expected - delivered}},"seconds":{{seconds:F3}},"delivered_per_second":{{delivered / seconds:F0}}}""");
await deadline.CancelAsync();
return delivered == expected ? 0 : 1;

static Task SendAsync(ClientWebSocket socket, string text) =>
    socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
