namespace Webhooks.Core.AspNetCore;

/// <summary>
/// Remembers the deliveries a receiver accepted, so that a replay of one is refused. The default guard lives in the
/// process and serves every receiver of the application (the signature does not cover the URL: a delivery one route
/// accepted is a replay to another route holding the same secret); receivers behind a load balancer share one (Redis
/// <c>SET key 1 NX PXAT</c>, a database table with a unique key) so that a replay sent to another instance is refused too.
/// </summary>
public interface IWebhookReplayGuard
{
    /// <summary>Records a delivery unless it was recorded before and has not expired.</summary>
    /// <param name="key">
    /// The delivery's identity, the same on every route: its <c>webhook-id</c>, its <c>webhook-timestamp</c> and the base64
    /// SHA-256 of its body, separated by line feeds (what the signature covers, so two senders' ids that collide do not).
    /// </param>
    /// <param name="expiresAt">When a replay of it would fail the timestamp check anyway: the guard may forget it then.</param>
    /// <param name="cancellationToken">Cancels the check (the request was aborted).</param>
    /// <returns><see langword="true"/> when the delivery is new; <see langword="false"/> for a replay, which answers 401.</returns>
    /// <remarks>An exception fails the request (500): a delivery is never handled unchecked.</remarks>
    ValueTask<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a delivery the receiver did not accept after all (its handler answered other than 2xx, or failed), so
    /// that the provider's retry is accepted, also one signed within the same second (with the same timestamp).
    /// </summary>
    /// <param name="key">The key <see cref="TryRecordAsync"/> recorded.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the delivery is forgotten.</returns>
    /// <remarks>
    /// The default does nothing: such a guard refuses a retry until the timestamp moves on, which a provider's next
    /// attempt usually does.
    /// </remarks>
    ValueTask ForgetAsync(string key, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
