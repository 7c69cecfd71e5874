using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorRpc.Actors.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// Metrics of their own for one spec, and what they counted on <c>actorrpc.requests.refused</c>, by
/// reason and kind. A meter factory per instance, so parallel specs never count into each other.
/// </summary>
internal sealed class RefusedRequests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Reason, string Kind), long> _counts = new();

    public RefusedRequests(params string[] methods)
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        Metrics = new RpcMetrics(factory, methods, ActorRpc.Methods.Topics.TopicCatalog.Empty);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "actorrpc.requests.refused" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? reason = null, kind = null;
            foreach (var tag in tags)
            {
                if (tag.Key == RpcMetrics.ReasonTag)
                {
                    reason = tag.Value as string;
                }
                else if (tag.Key == RpcMetrics.KindTag)
                {
                    kind = tag.Value as string;
                }
            }

            _counts.AddOrUpdate((reason ?? "?", kind ?? "?"), value, (_, n) => n + value);
        });
        _listener.Start();
    }

    public RpcMetrics Metrics { get; }

    public long Count(string reason, string kind) => _counts.TryGetValue((reason, kind), out var n) ? n : 0;

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
