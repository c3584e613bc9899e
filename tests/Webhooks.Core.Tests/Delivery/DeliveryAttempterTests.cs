using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.Internal;
using Webhooks.Core.Tests.Engine;
using Webhooks.Core.Tests.Filtering;

namespace Webhooks.Core.Tests.Delivery;

/// <summary>What an attempt hands the transport, and what starting one costs on the delivery hot path.</summary>
public sealed class DeliveryAttempterTests
{
    private const int Runs = 200;
    private const int CustomHeaders = 8;

    // The signature's headers and the webhook's own go into one list sized for both: a custom header costs its place in
    // that list, and nothing more (no enumerator, closure or iterator per header and delivery).
    [Test]
    public void Start_WebhookWithCustomHeaders_AllocatesNoMoreThanTheirPlacesInTheRequest()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        using var telemetry = new WebhooksTelemetry(services);
        var transport = new AnsweringTransport();
        var attempter = new DeliveryAttempter(transport, new StandardWebhooksSigner(), new FakeTimeProvider(EngineHost.Start), telemetry);
        var bare = Config(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
        var withHeaders = Config(Enumerable.Range(0, CustomHeaders).ToDictionary(static i => $"X-Custom-{i}", static i => $"value-{i}", StringComparer.OrdinalIgnoreCase));
        var payload = new ReadOnlyMemory<byte>("""{"type":"order.created","timestamp":"2026-01-05T09:00:00Z","data":{}}"""u8.ToArray());
        StartMany(attempter, bare, payload);
        StartMany(attempter, withHeaders, payload);

        var withoutCustom = ThreadAllocations.Least(() => StartMany(attempter, bare, payload));
        var withCustom = ThreadAllocations.Least(() => StartMany(attempter, withHeaders, payload));

        // A KeyValuePair<string, string> slot is two references.
        var slots = (long)Runs * CustomHeaders * 2 * IntPtr.Size;
        Assert.That(withCustom - withoutCustom, Is.LessThanOrEqualTo(slots), $"{(withCustom - withoutCustom) / Runs} bytes more per delivery with {CustomHeaders} custom headers");
        Assert.That(transport.LastHeaders.Select(static h => h.Key), Is.EqualTo(new[] { "webhook-id", "webhook-timestamp", "webhook-signature" }.Concat(withHeaders.Headers.Keys)));
    }

    // A transport that reports no answer without saying why (its Error left null) broke the recorded error: "The endpoint
    // answered ." named a status that never came.
    [Test]
    public void Finish_NoAnswerAndNoError_SaysNoAnswerCame()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        using var telemetry = new WebhooksTelemetry(services);
        var attempter = new DeliveryAttempter(new AnsweringTransport(), new StandardWebhooksSigner(), new FakeTimeProvider(EngineHost.Start), telemetry);
        var started = new StartedAttempt(1, EngineHost.Start, "https://example.com/hook", null);

        var attempt = attempter.Finish(started, new DeliveryResult { Duration = TimeSpan.FromSeconds(1) });

        Assert.That((attempt.StatusCode, attempt.Error), Is.EqualTo(((int?)null, "No answer came.")));
    }

    private static void StartMany(DeliveryAttempter attempter, WebhookConfig config, ReadOnlyMemory<byte> payload)
    {
        for (var i = 0; i < Runs; i++)
        {
            _ = attempter.Start(config, "msg_1", payload, 1, CancellationToken.None, out _);
        }
    }

    private static WebhookConfig Config(Dictionary<string, string> headers) => new()
    {
        Id = "wh_1",
        Url = "https://example.com/hook",
        Headers = headers,
        Secrets = [WebhookSecret.Generate(EngineHost.Start)],
    };

    /// <summary>Answers every request at once, keeping the last one's headers.</summary>
    private sealed class AnsweringTransport : IDeliveryTransport
    {
        private static readonly ValueTask<DeliveryResult> Ok = ValueTask.FromResult(new DeliveryResult { StatusCode = 200 });

        public IReadOnlyList<KeyValuePair<string, string>> LastHeaders { get; private set; } = [];

        public ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
        {
            LastHeaders = request.Headers;
            return Ok;
        }
    }
}
