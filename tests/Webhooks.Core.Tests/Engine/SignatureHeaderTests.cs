using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Webhooks.Core.Tests.Engine;

/// <summary>A signer's own header names, such as a ricloud signer's configured one, against a webhook's custom headers.</summary>
public sealed class SignatureHeaderTests
{
    private const string SignatureHeader = "X-Signature";

    [Test]
    public async Task Create_HeaderNamedAsTheSignersHeader_IsRefusedAsReserved()
    {
        await using var host = await StartWithRicloudSignerAsync();

        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.CreateAsync(
            change: d => d with { Headers = new Dictionary<string, string> { ["x-signature"] = "mine" } }));

        Assert.That(error!.Problems.Select(p => (p.Field, p.Message)), Is.EqualTo(new[]
        {
            ("headers.x-signature", "The header 'x-signature' is reserved and cannot be set. Reserved: webhook-*, proxy-*, content-type, content-length, host, user-agent, traceparent, tracestate, connection, keep-alive, te, trailer, transfer-encoding, upgrade, X-Signature."),
        }));
    }

    [Test]
    public async Task Deliver_WebhookStoredWithTheSignersHeader_SendsTheSignatureAlone()
    {
        await using var host = await StartWithRicloudSignerAsync();
        var created = await host.CreateAsync();
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var current = (await store.GetConfigAsync(created.Webhook.Id, CancellationToken.None))!;
        // As a webhook stored before the host chose this signer may be.
        var headers = new Dictionary<string, string> { ["x-signature"] = "mine", ["X-Other"] = "kept" };
        await store.UpdateConfigAsync(current with { Headers = headers }, current.Generation, CancellationToken.None);

        await host.PublishAsync("evt_signed");

        var request = (await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline))[0];
        var verifier = new RicloudVerifier([created.Secret], timeProvider: host.Time);
        Assert.Multiple(() =>
        {
            Assert.That(request.Headers[SignatureHeader], Does.Not.Contain("mine"));
            Assert.That(verifier.Verify(request.Headers[SignatureHeader], request.Body.Span), Is.EqualTo(SignatureVerificationResult.Valid), request.Headers[SignatureHeader]);
            Assert.That(request.Headers["X-Other"], Is.EqualTo("kept"));
        });
    }

    [Test]
    public void HeaderNames_NameWhatEachSignerWrites()
    {
        var headers = new List<KeyValuePair<string, string>>();
        var secrets = new[] { WebhookSecret.Generate(EngineHost.Start) };
        IWebhookSigner[] signers = [new StandardWebhooksSigner(), new RicloudSigner(SignatureHeader)];

        foreach (var signer in signers)
        {
            headers.Clear();
            signer.AddSignatureHeaders("msg_1", EngineHost.Start, "{}"u8, secrets, headers);
            Assert.That(signer.HeaderNames, Is.EquivalentTo(headers.Select(h => h.Key)), signer.GetType().Name);
        }
    }

    private static Task<EngineHost> StartWithRicloudSignerAsync() =>
        EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IWebhookSigner>(new RicloudSigner(SignatureHeader))));
}
