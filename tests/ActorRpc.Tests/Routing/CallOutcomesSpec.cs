using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Routing;
using ActorRpc.Methods.Authorization;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Routing;

/// <summary>
/// A call refused before its handler starts (an actor method's guard) answers exactly as a handler's
/// refusal would, without a handler span.
/// </summary>
public sealed class CallOutcomesSpec
{
    [Fact]
    public void FailedBeforeStart_Refusal_SameFrameAsAHandlersAndNoHandlerSpan()
    {
        var sessionId = "call-outcomes-" + Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RpcTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (Equals(activity.GetTagItem(RpcTracing.SessionIdTag), sessionId))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var outcomes = new CallOutcomes(NoLogger.Instance, RpcMethodsOptions.CreateDefaultSerializerOptions(), detailedErrors: false, TestMetrics.Create("job"));

        var refused = outcomes.FailedBeforeStart(Call(sessionId), RpcAuthorizer.NotPermitted());
        Assert.Empty(spans);

        var handlerCall = Call(sessionId);
        var answered = outcomes.Failed(handlerCall, RpcAuthorizer.NotPermitted(), outcomes.Started(handlerCall));
        Assert.Single(spans);

        Assert.Equal(Encoding.UTF8.GetString(answered!), Encoding.UTF8.GetString(refused!));
        using var frame = JsonDocument.Parse(refused!);
        var error = frame.RootElement.GetProperty("error");
        Assert.Equal(-32011, error.GetProperty("code").GetInt32());
        Assert.Equal(RpcAuthorizer.NotPermittedMessage, error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("data", out _));
    }

    private static RpcCall Call(string sessionId)
    {
        var id = "7"u8.ToArray();
        var services = new ServiceCollection().BuildServiceProvider();
        return new RpcCall(1, "job", id, default, new RpcContext(sessionId, null, "test", "job", id, services), CancellationToken.None);
    }
}
