using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.Internal;

/// <summary>The library's meter and activity source, both named <c>Webhooks.Core</c>.</summary>
internal sealed class WebhooksTelemetry : IDisposable
{
    public const string Name = "Webhooks.Core";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(WebhooksTelemetry).Assembly.GetName().Version?.ToString(3));

    private readonly Meter _meter;

    public WebhooksTelemetry(IServiceProvider services)
    {
        _meter = services.GetService<IMeterFactory>()?.Create(Name) ?? new Meter(Name);
        MessagesPublished = _meter.CreateCounter<long>("webhooks.messages.published", "{message}", "Messages created by publishing events.");
        Attempts = _meter.CreateCounter<long>("webhooks.delivery.attempts", "{attempt}", "Delivery attempts, tagged with their outcome.");
        AttemptDuration = _meter.CreateHistogram<double>("webhooks.delivery.duration", "s", "How long delivery attempts take.");
        MessagesFailed = _meter.CreateCounter<long>("webhooks.messages.failed", "{message}", "Messages given up as undeliverable.");
        FirstAttemptDelay = _meter.CreateHistogram<double>("webhooks.delivery.first_attempt_delay", "s", "Time from publishing a message to its first attempt.");
    }

    public Counter<long> MessagesPublished { get; }

    public Counter<long> Attempts { get; }

    public Histogram<double> AttemptDuration { get; }

    public Counter<long> MessagesFailed { get; }

    public Histogram<double> FirstAttemptDelay { get; }

    public void Dispose() => _meter.Dispose();
}
