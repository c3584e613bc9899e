using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.Internal;

/// <summary>The library's meter and activity source, both named <c>Webhooks.Core</c>.</summary>
internal sealed class WebhooksTelemetry : IDisposable
{
    public const string Name = "Webhooks.Core";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(WebhooksTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// The buckets of <c>webhooks.delivery.duration</c>, in seconds: those of ASP.NET Core's request durations, on to a
    /// minute (the attempt timeout is 15 s by default). Without them an exporter uses its own defaults, made for
    /// milliseconds (OpenTelemetry's first bucket ends at 5), and every attempt falls in the first bucket.
    /// </summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15, 30, 60];

    /// <summary>
    /// The buckets of <c>webhooks.delivery.first_attempt_delay</c>, in seconds: from the millisecond a message waits on a
    /// quiet dispatcher to the hours one is held while its webhook is verified or disabled.
    /// </summary>
    internal static readonly double[] DelayBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

    private readonly Meter _meter;

    public WebhooksTelemetry(IServiceProvider services)
    {
        _meter = services.GetService<IMeterFactory>()?.Create(Name) ?? new Meter(Name);
        MessagesPublished = _meter.CreateCounter<long>("webhooks.messages.published", "{message}", "Messages created by publishing events.");
        Attempts = _meter.CreateCounter<long>("webhooks.delivery.attempts", "{attempt}", "Delivery attempts, tagged with their outcome.");
        AttemptDuration = _meter.CreateHistogram("webhooks.delivery.duration", "s", "How long delivery attempts take.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        MessagesFailed = _meter.CreateCounter<long>("webhooks.messages.failed", "{message}", "Messages given up as undeliverable.");
        FirstAttemptDelay = _meter.CreateHistogram("webhooks.delivery.first_attempt_delay", "s", "Time from publishing a message to its first attempt.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DelayBuckets });
    }

    public Counter<long> MessagesPublished { get; }

    public Counter<long> Attempts { get; }

    public Histogram<double> AttemptDuration { get; }

    public Counter<long> MessagesFailed { get; }

    public Histogram<double> FirstAttemptDelay { get; }

    public void Dispose() => _meter.Dispose();
}
