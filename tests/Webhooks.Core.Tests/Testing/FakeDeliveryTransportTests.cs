using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Testing;

public sealed class FakeDeliveryTransportTests
{
    private static readonly DeliveryRequest _request = new() { WebhookId = "wh_1", Url = "https://example.com/hook" };

    [Test]
    public async Task SendAsync_Default_Answers200AndRecords()
    {
        var transport = new FakeDeliveryTransport();

        var result = await transport.SendAsync(_request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.Succeeded, Is.True);
            Assert.That(transport.Requests, Is.EqualTo(new[] { _request }));
        });
    }

    [Test]
    public async Task SendAsync_Scripted_AnswersFromScript()
    {
        var transport = new FakeDeliveryTransport(r => new DeliveryResult { StatusCode = r.WebhookId == "wh_1" ? 410 : 200 });

        var first = await transport.SendAsync(_request, CancellationToken.None);
        transport.Respond(_ => new DeliveryResult { Error = "Timed out after 15 s." });
        var second = await transport.SendAsync(_request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(410));
            Assert.That(second.Error, Is.EqualTo("Timed out after 15 s."));
            Assert.That(transport.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void SendAsync_Cancelled_ThrowsAndRecordsNothing()
    {
        var transport = new FakeDeliveryTransport();

        Assert.That(async () => await transport.SendAsync(_request, new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(transport.Requests, Is.Empty);
    }

    /// <summary>A script answering null made SendAsync return null, which the engine then failed on far from the script.</summary>
    [Test]
    public void SendAsync_ScriptAnswersNull_ThrowsNamingTheScript()
    {
        var transport = new FakeDeliveryTransport(_ => null!);

        Assert.That(
            async () => await transport.SendAsync(_request, CancellationToken.None),
            Throws.InvalidOperationException.With.Message.EqualTo("The FakeDeliveryTransport's answer returned null for the request to https://example.com/hook: return a DeliveryResult."));
    }

    [Test]
    public async Task WaitForRequestsAsync_SentLater_Completes()
    {
        var transport = new FakeDeliveryTransport();
        var waiting = transport.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10));

        await transport.SendAsync(_request, CancellationToken.None);

        Assert.That(await waiting, Has.Count.EqualTo(1));
    }

    [Test]
    public void WaitForRequestsAsync_NoneSent_ThrowsTimeoutException()
    {
        var transport = new FakeDeliveryTransport();

        Assert.That(async () => await transport.WaitForRequestsAsync(2, TimeSpan.FromMilliseconds(20)), Throws.TypeOf<TimeoutException>());
    }
}
