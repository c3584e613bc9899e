using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class TelemetryInstrumentTests
{
    [TestCase("webhooks.delivery.duration", 0.005, 60)]
    [TestCase("webhooks.delivery.first_attempt_delay", 0.001, 86400)]
    public void Histograms_InSeconds_AdviseBucketsFromMillisecondsOn(string name, double first, double last)
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == WebhooksTelemetry.Name)
                {
                    published.Add(instrument);
                }
            },
        };
        listener.Start();

        using var telemetry = new WebhooksTelemetry(provider);

        var histogram = published.OfType<Histogram<double>>().Single(i => i.Name == name);
        var buckets = histogram.Advice?.HistogramBucketBoundaries;
        Assert.Multiple(() =>
        {
            Assert.That(histogram.Unit, Is.EqualTo("s"));
            Assert.That(buckets, Is.Not.Null.And.Ordered.Ascending);
            Assert.That(buckets![0], Is.EqualTo(first));
            Assert.That(buckets[^1], Is.EqualTo(last));
        });
    }
}
