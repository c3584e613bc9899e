using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// Verification whatever the delivery log keeps, traced like deliveries; a system-disabled webhook whose target its owner
/// fixed is verified again; allow-lists the SSRF guard cannot read stop the start.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VerificationAndOptionsTests
{
    private const string HpeHeader = "x-compute-ops-mgmt-verification-challenge";

    // Http.ResponseBodyLimit is what the delivery log keeps of answers (0 keeps none): it does not decide whether a
    // correct handshake is accepted.
    [TestCase(0)]
    [TestCase(32)]
    public async Task Challenge_ResponseBodyLimitSmallerThanTheAnswer_CorrectHandshakeIsStillAccepted(int limit)
    {
        await using var host = await EngineHost.StartAsync(o =>
        {
            o.ChallengeHeaderName = HpeHeader;
            o.Http.ResponseBodyLimit = limit;
        });
        host.Receiver.AnswerHandshakes(HpeHeader);

        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        var settled = await host.WaitForWebhookAsync(webhook.Id, w => w.Status != WebhookStatus.Pending, "handshake settled");

        Assert.That((settled.State, settled.Status, settled.StatusReason), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active, "Webhook handshake accepted.")));
    }

    // The challenge header is reserved, yet a webhook stored before the host renamed it (ChallengeHeaderName) may hold a
    // custom header of that name: sent after the challenge, it doubled the header ("<challenge>, mine"), the receiver
    // echoed both, and the handshake failed. The challenge goes alone, as a signature does.
    [Test]
    public async Task Challenge_WebhookStoredWithAHeaderNamedAsTheChallenge_SendsTheChallengeAlone()
    {
        await using var host = await EngineHost.StartAsync(o => o.ChallengeHeaderName = HpeHeader);
        host.Receiver.AnswerHandshakes(HpeHeader);
        var created = (await host.CreateAsync()).Webhook;
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var current = (await store.GetConfigAsync(created.Id, CancellationToken.None))!;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [HpeHeader] = "mine", ["X-Other"] = "kept" };
        await store.UpdateConfigAsync(current with { Headers = headers, VerificationMode = VerificationMode.Challenge }, current.Generation, CancellationToken.None);

        var tested = await host.Endpoints.TestAsync(created.Id);

        var handshake = host.Receiver.Requests.Single(r => r.Method == "GET");
        Assert.Multiple(() =>
        {
            Assert.That(handshake.Headers[HpeHeader], Does.Not.Contain("mine"));
            Assert.That(handshake.Headers["X-Other"], Is.EqualTo("kept"));
            Assert.That((tested.Status, tested.StatusReason), Is.EqualTo((WebhookStatus.Active, "Webhook handshake accepted.")));
        });
    }

    // Trace context must reach receivers on verification requests too, as it does on deliveries.
    [Test]
    public async Task Challenge_WithTracing_HandshakeRequestCarriesTraceparent()
    {
        using var listener = TracingListener.Start();
        await using var host = await EngineHost.StartAsync(o => o.ChallengeHeaderName = HpeHeader);
        host.Receiver.AnswerHandshakes(HpeHeader);

        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Active, "handshake accepted");

        var handshake = host.Receiver.Requests.Single(r => r.Method == "GET");
        Assert.That(handshake.Headers.Keys, Does.Contain("traceparent"), "the handshake GET carries the trace context");
    }

    // A test run from a host's own request (POST /webhooks/{id}/test) runs under that request's activity, whose baggage
    // is the host's (a user id, a gateway's tags): the receiver, a third party, gets the trace context and no more.
    [Test]
    public async Task Test_UnderAnActivityWithBaggage_SendsTraceContextButNotTheBaggage()
    {
        using var listener = TracingListener.Start();
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync()).Webhook;

        using (new System.Diagnostics.Activity("host.request").AddBaggage("user.email", "ops@example.com").Start())
        {
            await host.Endpoints.TestAsync(webhook.Id);
        }

        var test = host.Receiver.Requests.Single(r => r.Method == "POST");
        Assert.That(test.Headers.Keys, Does.Contain("traceparent"));
        Assert.That(test.Headers.Keys.Where(static k => k.Equals("baggage", StringComparison.OrdinalIgnoreCase) || k.Equals("Correlation-Context", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    // ricloud: an "invalid" config (system-disabled after a failed test) "must be updated or retested", and an update
    // "will create a webhook_config.test task ... to validate any changes made to the config". SPEC: verification runs
    // when the URL or headers change.
    [Test]
    public async Task UpdateUrl_OfWebhookSystemDisabledByFailedVerification_VerifiesTheNewUrl()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(r => r.Path == "/broken" ? ReceiverAnswer.Status(500) : ReceiverAnswer.Ok);
        var webhook = (await host.CreateAsync("/broken", d => d with { VerificationMode = VerificationMode.TestEvent })).Webhook;
        var invalid = await host.WaitForWebhookAsync(webhook.Id, w => w.Status != WebhookStatus.Pending, "first verification settled");
        Assert.That((invalid.State, invalid.Status), Is.EqualTo((WebhookState.Disabled, WebhookStatus.Warning)), "precondition: invalid");

        var updated = await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = host.Receiver.UrlFor("/fixed") });

        Assert.That(
            (updated.State, updated.Status, updated.StatusReason),
            Is.EqualTo((WebhookState.Enabled, WebhookStatus.Pending, "Webhook updated; verification pending.")),
            "the changed URL of an invalid webhook is verified");
        var verified = await host.WaitForWebhookAsync(webhook.Id, w => w.Status != WebhookStatus.Pending, "verified at its new URL");
        Assert.That((verified.State, verified.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), verified.StatusReason);
    }

    // Many servers (IIS, PowerShell, a StreamWriter with Encoding.UTF8) start a UTF-8 body with a byte order mark; the
    // echo after it is still the JSON object asked for.
    [Test]
    public async Task Challenge_AnswerStartsWithAByteOrderMark_IsAccepted()
    {
        await using var host = await EngineHost.StartAsync(o => o.ChallengeHeaderName = HpeHeader);
        host.Receiver.Respond(r => ReceiverAnswer.Json("\uFEFF" + $$"""{"verification": "{{r.Headers.GetValueOrDefault(HpeHeader)}}"}"""));

        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        var settled = await host.WaitForWebhookAsync(webhook.Id, w => w.Status != WebhookStatus.Pending, "handshake settled");

        Assert.That((settled.State, settled.Status, settled.StatusReason), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active, "Webhook handshake accepted.")));
    }

    // The verification in flight was discarded once it came back (it verified another mode), and none was queued for the
    // new mode: the webhook stayed Pending, its messages held, until housekeeping found it stranded minutes later.
    [Test]
    public async Task UpdateVerificationModeToNone_WhileItsVerificationRuns_IsActiveAtOnce()
    {
        var transport = new HoldingTransport();
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));
        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.TestEvent })).Webhook;
        var testEvent = await transport.NextAsync();

        var updated = await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { VerificationMode = VerificationMode.None });
        testEvent.Respond(500);

        Assert.That((updated.State, updated.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), updated.StatusReason);
    }

    // A caller that stopped waiting for its test (an API client timing out) cancelled the verification it ran: the
    // webhook stayed Pending, its messages held, until housekeeping found it stranded a minute or more later.
    [Test]
    public async Task Test_CallerStopsWaiting_TheVerificationGoesOnInTheBackground()
    {
        var transport = new HoldingTransport();
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));
        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.TestEvent })).Webhook;
        (await transport.NextAsync()).Respond(200);
        await host.WaitForWebhookAsync(webhook.Id, static w => w.Status == WebhookStatus.Active, "verified");

        using var caller = new CancellationTokenSource();
        var testing = host.Endpoints.TestAsync(webhook.Id, cancellationToken: caller.Token);
        await transport.NextAsync();
        await caller.CancelAsync();
        Assert.That(async () => await testing, Throws.InstanceOf<OperationCanceledException>());

        (await transport.NextAsync()).Respond(200);
        var verified = await host.WaitForWebhookAsync(webhook.Id, static w => w.Status != WebhookStatus.Pending, "verified in the background");
        Assert.That((verified.State, verified.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), verified.StatusReason);
    }

    // A verification's result was applied to whatever webhook had the id, URL, headers and mode when it came back: one
    // deleted and created again meanwhile (by another tenant, ids may be chosen) was made Active by the old one's answer,
    // before its own verification had answered.
    [Test]
    public async Task Verification_OfAWebhookDeletedAndCreatedAgainMeanwhile_IsNotAppliedToTheNewOne()
    {
        var transport = new HoldingTransport();
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));
        WebhookDefinition Shared(WebhookDefinition d, string tenant) => d with { Id = "wh_shared", TenantId = tenant, VerificationMode = VerificationMode.TestEvent };
        var ours = (await host.CreateAsync(change: d => Shared(d, "tenant-a"))).Webhook;
        (await transport.NextAsync()).Respond(200);
        await host.WaitForWebhookAsync(ours.Id, static w => w.Status == WebhookStatus.Active, "verified");
        var testing = host.Endpoints.TestAsync(ours.Id);
        var oursTested = await transport.NextAsync();

        await host.Endpoints.DeleteAsync(ours.Id);
        await host.CreateAsync(change: d => Shared(d, "tenant-b"));
        var theirsVerified = await transport.NextAsync();
        oursTested.Respond(200);
        await testing;

        var theirs = (await host.Endpoints.GetAsync("wh_shared"))!;
        Assert.That((theirs.TenantId, theirs.Status), Is.EqualTo(("tenant-b", WebhookStatus.Pending)), "waiting for its own verification");
        theirsVerified.Respond(200);
        await host.WaitForWebhookAsync("wh_shared", static w => w.Status == WebhookStatus.Active, "verified by its own answer");
    }

    // Options are validated at start with an error naming the option: a null entry in the SSRF allow-list would fail
    // every delivery with a NullReferenceException's text.
    [Test]
    public async Task Start_NullInHttpAllowedAddresses_FailsNamingIt()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(o => o.Http.AllowedAddresses.Add(null!));
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Http.AllowedAddresses[0] must not be null."));
    }
}
