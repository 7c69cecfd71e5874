using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Topics;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The connection's user, on the session's thread: who its calls run as (<see cref="CurrentUser"/>),
/// when its token's lifetime ends, and what ends with it, or with a change of user by
/// <c>authenticate</c>: the subscriptions to guarded topics that user may no longer hold.
/// </summary>
internal sealed partial class SessionActor
{
    /// <summary>
    /// A WebSocket whose user's token has a lifetime is woken when it ends (<see cref="IdentityExpired"/>):
    /// its calls run as anonymous from then on by themselves (<see cref="CurrentUser"/>), but its
    /// subscriptions to guarded topics must be looked at again.
    /// </summary>
    private void WatchIdentity()
    {
        Timers.Cancel(IdentityExpired.Instance);
        if (_info.SingleExchange || _identity.ExpiresAt is not { } expires)
        {
            return;
        }

        // At most a day at a time: the scheduler's wheel is not made for long delays; the check re-arms.
        var delay = expires - _dependencies.Clock.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : delay;
        Timers.StartSingleTimer(IdentityExpired.Instance, IdentityExpired.Instance, delay);
    }

    private void ChangeIdentity(SessionIdentity identity)
    {
        _identity = identity;
        WatchIdentity();
        UserChanged();
    }

    private void OnIdentityExpired()
    {
        if (_identity.ExpiresAt is { } expires && expires > _dependencies.Clock.GetUtcNow())
        {
            WatchIdentity(); // Woken early (a long lifetime, re-armed a day at a time).
            return;
        }

        if (Log.IsDebugEnabled)
        {
            Log.Debug("Session [{0}]: its user's token expired; its calls run as anonymous from now on", _info.SessionId);
        }

        UserChanged();
    }

    /// <summary>The connection's user changed: what was decided for the previous one no longer stands (<see cref="_identityVersion"/>).</summary>
    private void UserChanged()
    {
        _identityVersion++;
        RecheckSubscriptions();
    }

    /// <summary>
    /// The connection's user changed (its token expired, or <c>authenticate</c> named another):
    /// subscriptions to guarded topics the user may no longer hold end, so a stream does not outlive
    /// the right to it. Decided off this thread, like a subscribe; a later change wins.
    /// </summary>
    private void RecheckSubscriptions()
    {
        var version = _identityVersion;
        if (!_dependencies.Topics.HasGuards || _subscriptions.IsEmpty)
        {
            return;
        }

        if (_recheckRunning)
        {
            // One at a time per connection, however often it authenticates: the running one's answer is
            // out of date when it comes (another version), and this one starts then.
            _recheckAgain = true;
            return;
        }

        _recheckRunning = true;
        if (!_turns.IsDeciding)
        {
            _turns.Deciding(BuiltInTurns.Recheck); // A decision in progress is decided again for the new user instead.
        }

        var subscriptions = _subscriptions;
        GuardedBuiltIns.RefusedTopicsAsync(subscriptions, CurrentUser(), _dependencies).PipeTo(
            Self,
            success: refused => new SubscriptionsRechecked(version, subscriptions, refused),
            failure: exception => new SubscriptionsRechecked(version, subscriptions, null, exception));
    }

    private void OnSubscriptionsRechecked(SubscriptionsRechecked rechecked)
    {
        _recheckRunning = false;
        _turns.Ended(BuiltInTurns.Recheck);
        EndRefusedSubscriptions(rechecked); // May start the next check, which takes the turn again.
        RunWaiting();
    }

    private void EndRefusedSubscriptions(SubscriptionsRechecked rechecked)
    {
        if (rechecked.Version != _identityVersion)
        {
            // The user changed again meanwhile: that change's check decides, and runs now.
            if (_recheckAgain)
            {
                _recheckAgain = false;
                RecheckSubscriptions();
            }

            return;
        }

        var refused = rechecked.Refused;
        if (rechecked.Failure is { } failure)
        {
            // Not knowing is no right: every guarded subscription ends.
            Log.Error(failure, "Session [{0}] could not look at its guarded subscriptions again after its user changed; they end", _info.SessionId);
            refused = [.. rechecked.Checked.Where(topic => _dependencies.Topics.GuardOf(topic) is not null)];
        }

        if (refused is not { Count: > 0 })
        {
            return;
        }

        var ended = refused.Where(_subscriptions.Contains).ToList();
        _subscriptions = _subscriptions.Except(ended);
        foreach (var topic in ended)
        {
            _dependencies.TopicsActor.Tell(new TopicProtocol.Unsubscribe(topic, Self));
        }

        if (ended.Count > 0)
        {
            Log.Info("Session [{0}]: {1} subscriptions to guarded topics ended, its user may no longer hold them", _info.SessionId, ended.Count);
        }
    }

    /// <summary>The connection's user for a call made now: null when anonymous, or once its token's lifetime has ended.</summary>
    private System.Security.Claims.ClaimsPrincipal? CurrentUser() =>
        _identity.User is null ? null : _identity.UserAt(_dependencies.Clock.GetUtcNow());

    /// <summary>The connection's user's token lifetime ends (or a day has passed; see <see cref="WatchIdentity"/>). Specs with their own clock send it themselves.</summary>
    internal sealed class IdentityExpired : INoSerializationVerificationNeeded
    {
        private IdentityExpired()
        {
        }

        public static IdentityExpired Instance { get; } = new();
    }

    /// <summary>Which subscriptions the user of <paramref name="Version"/> may no longer hold.</summary>
    private sealed record SubscriptionsRechecked(
        int Version, System.Collections.Immutable.ImmutableSortedSet<string> Checked, IReadOnlyList<string>? Refused, Exception? Failure = null)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
