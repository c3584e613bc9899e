using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>
/// Writes state-machine transitions of a webhook with optimistic concurrency, then does what a transition implies:
/// held messages resume when the webhook starts sending again, and the host is notified.
/// </summary>
internal sealed class WebhookStateChanges(
    IWebhookStore store,
    IOptions<WebhooksOptions> options,
    TimeProvider timeProvider,
    DispatchSignal signal,
    NotificationDispatcher notifications,
    ILogger<WebhookStateChanges> logger)
{
    private const int MaxConflicts = 16;

    public EndpointStateMachine Machine { get; } = new(options.Value.Health);

    /// <summary>Counts a change to a webhook made outside this type (an update, a delete), for attempts claimed before it.</summary>
    public void NoteChange() => signal.NoteChange();

    /// <summary>
    /// Applies <paramref name="change"/> to the current config until it is stored without a conflict.
    /// <paramref name="change"/> returns <see langword="null"/> to leave the config as it is.
    /// </summary>
    /// <returns>The stored config, or <see langword="null"/> when the webhook no longer exists.</returns>
    public async ValueTask<WebhookConfig?> ApplyAsync(string webhookId, Func<WebhookConfig, EndpointTransition?> change, CancellationToken cancellationToken)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            var current = await store.GetConfigAsync(webhookId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var transition = change(current);
            if (transition is null)
            {
                return current;
            }

            // A change of state or status is a change of the webhook (a handshake accepted, a system disable): it moves
            // UpdatedAt, whoever made it. A window update alone does not.
            var next = transition.Config;
            if ((next.State != current.State || next.Status != current.Status) && next.UpdatedAt == current.UpdatedAt)
            {
                next = next with { UpdatedAt = timeProvider.GetUtcNow() };
            }

            WebhookConfig stored;
            try
            {
                stored = await store.UpdateConfigAsync(next, current.Generation, cancellationToken).ConfigureAwait(false);
                if (next.State != current.State || next.Status != current.Status || !ReferenceEquals(next.Secrets, current.Secrets))
                {
                    // What attempts claimed before it would send changed (a health window alone changes nothing sent).
                    signal.NoteChange();
                }
            }
            catch (WebhookConcurrencyException) when (conflicts < MaxConflicts)
            {
                continue;
            }
            catch (WebhookNotFoundException)
            {
                return null;
            }

            await AfterChangeAsync(current, stored, transition.Notification, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    /// <summary>Does what a stored change implies: resume held messages, notify the host, log status changes.</summary>
    public async Task AfterChangeAsync(WebhookConfig before, WebhookConfig after, WebhookNotificationKind? notification, CancellationToken cancellationToken)
    {
        if (before.State != after.State || before.Status != after.Status)
        {
            Log.WebhookStatusChanged(logger, after.Id, before.State, before.Status, after.State, after.Status, after.StatusReason);
        }

        if (!before.IsSending && after.IsSending)
        {
            await store.ResumeHeldAsync(after.Id, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            signal.Notify();
        }

        if (notification is { } kind)
        {
            var reason = after.StatusReason ?? kind.ToString();
            notifications.Raise(new WebhookNotification(kind, after.Id, after.TenantId, reason));
        }
    }
}
