using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>Collects message outcomes from concurrent attempts and writes them to the store in batches.</summary>
internal sealed class OutcomeWriter(IWebhookStore store, ILogger logger)
{
    private const int MaxBatch = 500;
    private readonly Channel<MessageOutcome> _outcomes = Channel.CreateUnbounded<MessageOutcome>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(MessageOutcome outcome) => _outcomes.Writer.TryWrite(outcome);

    /// <summary>Writes outcomes until <see cref="Complete"/> is called and everything added is written.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<MessageOutcome>(MaxBatch);
        var reader = _outcomes.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            try
            {
                await store.CompleteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.CompleteFailed(logger, ex, batch.Count);
            }

            batch.Clear();
        }
    }

    public void Complete() => _outcomes.Writer.TryComplete();
}
