using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace ActorRpc.Bench.Soak;

/// <summary>
/// Reads a node's live managed heap: a short EventPipe session over the process's diagnostics IPC
/// channel with the runtime's GCHeapCollect keyword, which induces a full blocking GC (the way
/// dotnet-gcdump does), and the GCHeapStats event that follows it: the bytes that survived it in
/// every generation and the large and pinned object heaps. Unlike the gc-heap-size counter, the
/// number does not depend on how much gen0 happened to hold, so before and after compare.
/// </summary>
internal static class ManagedHeap
{
    /// <summary>The live managed heap in bytes (what survived a full GC), or null when it did not come within <paramref name="timeout"/>.</summary>
    public static async Task<long?> ReadAsync(int pid, TimeSpan timeout)
    {
        try
        {
            return await Task.Run(() => Read(pid), CancellationToken.None).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ServerNotAvailableException or UnsupportedCommandException or IOException or EndOfStreamException)
        {
            return null;
        }
    }

    private static long? Read(int pid)
    {
        var client = new DiagnosticsClient(pid);
        EventPipeProvider[] providers =
        [
            new(ClrTraceEventParser.ProviderName, EventLevel.Informational, (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect)),
        ];
        using var session = client.StartEventPipeSession(providers, requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        long? total = null;
        var induced = false;
        source.Clr.GCStart += gc => induced |= gc.Reason == GCReason.Induced && gc.Depth == 2;
        source.Clr.GCHeapStats += stats =>
        {
            if (!induced || total is not null)
            {
                return;
            }

            // What survived the full GC, in every generation, the LOH and the POH. (GenerationSize0 and so
            // TotalHeapSize count gen0's allocation budget, which says nothing about what is live.)
            total = stats.TotalPromotedSize0 + stats.TotalPromotedSize1 + stats.TotalPromotedSize2 + stats.TotalPromotedSize3 + stats.TotalPromotedSize4;
            try
            {
                session.Stop();
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or IOException)
            {
                // The process went meanwhile; the value is read already.
            }
        };
        source.Process();
        return total;
    }
}
