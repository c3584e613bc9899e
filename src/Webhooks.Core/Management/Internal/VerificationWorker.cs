using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>Runs queued verifications in the background, a few at a time.</summary>
internal sealed class VerificationWorker(VerificationRunner runner, ILogger<VerificationWorker> logger) : BackgroundService
{
    private const int Parallelism = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Parallelism).Select(_ => RunAsync(stoppingToken)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // Run in the context of the call that started the host: a verification starts a trace of its own, as an
        // attempt by the dispatcher does, rather than joining an activity current then.
        Activity.Current = null;
        try
        {
            await foreach (var webhookId in runner.Queued.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await runner.RunQueuedAsync(webhookId, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.VerificationCrashed(logger, ex, webhookId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; a webhook left Pending is verified again by the dispatcher's housekeeping here or in another instance.
        }
    }
}
