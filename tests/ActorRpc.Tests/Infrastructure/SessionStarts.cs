using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// Counts the sessions one node starts (WebSocket and HTTP), from its <c>actorrpc.sessions.open</c>
/// instrument: every start adds one. Other nodes in the test process have meters of their own and
/// are not counted.
/// </summary>
public sealed class SessionStarts : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public SessionStarts(IServiceProvider services)
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "actorrpc.sessions.open")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (value > 0)
            {
                Interlocked.Add(ref _count, value);
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
