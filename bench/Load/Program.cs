using System.Text.Json;
using ActorRpc.Bench.Load;

// bench/Load: a WebSocket JSON-RPC load generator, and the matrix that compares ActorRpc with
// two baselines. Every mode prints a table, then one line of JSON. Loopback only; every run is
// bounded (--deadline, default 10 minutes per mode, 30 for the matrix). See bench/README.md.
//
//   rpc     --url ws://127.0.0.1:P/rpc [--method ping] [--params JSON] [--connections 64] [--depth 16]
//           [--warmup 2] [--seconds 5] [--pid SERVER_PID ...]
//   fanout  --url ws://... [--url ws://... (subscribers round-robin)] [--publisher-url ws://...]
//           [--subscribers 1000] [--rate 50] [--seconds 5] [--burst N] [--pid ...] [--metrics http://.../metrics ...]
//   idle    --url ws://... --pid SERVER_PID [--connections 2000] [--settle 2]
//   matrix  [--quick] [--reps 3] [--out bench] [--base-port 5400] [--commit SHA]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Load rpc|fanout|idle|matrix [--option value ...]  (see bench/README.md)");
    return args.Length == 0 ? 2 : 0;
}

var mode = args[0];
var options = Options.Parse(args[1..]);
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(options.Double("deadline", mode == "matrix" ? 30 : 10)));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    deadline.Cancel();
};

var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
try
{
    switch (mode)
    {
        case "rpc":
            {
                var result = await RpcRun.RunAsync(
                    new RpcSettings(
                        new Uri(options.Require("url")), options.Get("method", "ping"), options.Has("params") ? options.Get("params", "") : null,
                        options.Int("connections", 64), options.Int("depth", 16), options.Double("warmup", 2), options.Double("seconds", 5), options.Pids()),
                    deadline.Token);
                Table.Print(["conns", "depth", "req/s", "p50 µs", "p90 µs", "p99 µs", "max µs", "errors", "server CPU µs/req", "server cores"],
                    [[$"{result.Connections}", $"{result.Depth}", $"{result.RequestsPerSecond:N0}", $"{result.P50Us:N0}", $"{result.P90Us:N0}", $"{result.P99Us:N0}",
                  $"{result.MaxUs:N0}", $"{result.Errors}", $"{result.ServerCpuUsPerRequest:N1}", $"{result.ServerCpuCores:N2}"]]);
                Console.WriteLine(JsonSerializer.Serialize(result, json));
                return result.Errors == 0 ? 0 : 1;
            }

        case "fanout":
            {
                var urls = options.All("url").Select(u => new Uri(u)).ToArray();
                var result = await FanoutRun.RunAsync(
                    new FanoutSettings(
                        urls, new Uri(options.Get("publisher-url", urls[0].ToString())), options.Int("subscribers", 1000), options.Double("rate", 50),
                        options.Double("seconds", 5), options.Pids(), [.. options.All("metrics").Select(u => new Uri(u))], options.Int("burst", 0)),
                    deadline.Token);
                Table.Print(["subscribers", "notifies/s", "delivered/s", "p50 µs", "p99 µs", "max µs", "lost", "out of order", "server CPU µs/delivery", "cross-node msgs/notify"],
                    [[$"{result.Subscribers}", result.Rate == 0 ? "burst" : $"{result.Rate:N0}", $"{result.DeliveredPerSecond:N0}", $"{result.P50Us:N0}", $"{result.P99Us:N0}", $"{result.MaxUs:N0}",
                  $"{result.Lost}", $"{result.OutOfOrder}", $"{result.ServerCpuUsPerDelivery:N2}", result.CrossNodePerNotify?.ToString("N2", System.Globalization.CultureInfo.InvariantCulture) ?? "-"]]);
                Console.WriteLine(JsonSerializer.Serialize(result, json));
                return result.Lost == 0 ? 0 : 1;
            }

        case "idle":
            {
                var result = await IdleRun.RunAsync(
                    new IdleSettings(new Uri(options.Require("url")), options.Int("connections", 2000), options.Double("settle", 2), options.Pids().Single()),
                    deadline.Token);
                Table.Print(["connections", "connected", "RSS before MB", "RSS held MB", "KB/connection"],
                    [[$"{result.Connections}", $"{result.Connected}", $"{result.RssBeforeMb:N1}", $"{result.RssAfterMb:N1}", $"{result.KbPerConnection:N2}"]]);
                Console.WriteLine(JsonSerializer.Serialize(result, json));
                return result.Connected == result.Connections ? 0 : 1;
            }

        case "matrix":
            return await Matrix.RunAsync(options, deadline.Token);

        default:
            Console.Error.WriteLine($"unknown mode '{mode}': rpc, fanout, idle or matrix");
            return 2;
    }
}
catch (OperationCanceledException) when (deadline.IsCancellationRequested)
{
    Console.Error.WriteLine("cut short: deadline reached or Ctrl+C");
    return 3;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
