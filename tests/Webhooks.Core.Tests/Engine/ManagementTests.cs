using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class ManagementTests
{
    [Test]
    public async Task VerificationAnsweredLater_TheOutcomeMovesUpdatedAt()
    {
        var transport = new HoldingTransport();
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));
        var created = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.TestEvent })).Webhook;
        var test = await transport.NextAsync();

        host.Time.Advance(TimeSpan.FromMinutes(1));
        test.Respond(200);

        var active = await host.WaitForWebhookAsync(created.Id, w => w.Status == WebhookStatus.Active, "verified");
        Assert.That((created.UpdatedAt, active.UpdatedAt), Is.EqualTo((EngineHost.Start, EngineHost.Start.AddMinutes(1))), active.StatusReason);
    }

    [Test]
    public async Task UpdateUrl_WhileMessageRetrying_NextAttemptGoesToNewUrl()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(r => r.Path == "/old" ? ReceiverAnswer.Status(500) : ReceiverAnswer.Ok);
        var webhook = (await host.CreateAsync("/old")).Webhook;
        var id = (await host.PublishAsync("evt_move")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "retrying");

        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = host.Receiver.UrlFor("/new") });
        host.Time.Advance(TimeSpan.FromSeconds(5));

        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered to the new URL");
        Assert.That(done.Attempts.Select(a => new Uri(a.Url).AbsolutePath), Is.EqualTo(new[] { "/old", "/new" }));
    }

    [Test]
    public async Task Cancel_RetryingMessage_IsNeverAttemptedAgain()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_cancel")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "retrying");

        var cancelled = await host.Log.CancelAsync(webhook.Id, id);
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var later = (await host.PublishAsync("evt_after")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, later, d => d.Message.Status == MessageStatus.Success, "later message delivered");

        Assert.Multiple(async () =>
        {
            Assert.That(cancelled.Status, Is.EqualTo(MessageStatus.Cancelled));
            Assert.That((await host.Log.GetAsync(webhook.Id, id))!.Attempts, Has.Count.EqualTo(1));
            Assert.That(host.Receiver.Requests, Has.Count.EqualTo(2));
        });
        Assert.ThrowsAsync<InvalidTransitionException>(() => host.Log.CancelAsync(webhook.Id, later));
    }

    [Test]
    public async Task Retry_RetryingMessage_IsAttemptedAtOnceWithoutWaitingForItsSchedule()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(r => host.Receiver.Requests.Count == 1 ? ReceiverAnswer.Status(500) : ReceiverAnswer.Ok);
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_manual")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "retrying");

        await host.Log.RetryAsync(webhook.Id, id);

        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered by manual retry");
        Assert.That(done.Attempts[1].Timestamp, Is.EqualTo(done.Attempts[0].Timestamp), "fake time never moved");
    }

    [Test]
    public async Task Handshake_ReceiverEchoesChallenge_WebhookBecomesActiveAndHeldEventsFlow()
    {
        const string header = "x-compute-ops-mgmt-verification-challenge";
        await using var host = await EngineHost.StartAsync(o => o.ChallengeHeaderName = header);
        host.Receiver.AnswerHandshakes(header);

        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        var active = await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Active, "handshake accepted");

        Assert.Multiple(() =>
        {
            Assert.That(webhook.Status, Is.EqualTo(WebhookStatus.Pending));
            Assert.That(active.StatusReason, Is.EqualTo("Webhook handshake accepted."));
            Assert.That(host.Receiver.Requests[0].Method, Is.EqualTo("GET"));
            Assert.That(host.Receiver.Requests[0].Headers.ContainsKey(header), Is.True);
        });
    }

    [Test]
    public async Task Handshake_QueuedByAProcessThatStopped_HousekeepingVerifiesTheWebhookAgain()
    {
        const string header = "webhook-verification-challenge";
        await using var host = await EngineHost.StartAsync(o => o.DefaultVerificationMode = VerificationMode.None);
        host.Receiver.AnswerHandshakes(header);
        var created = (await host.CreateAsync()).Webhook;
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();

        // As a process leaves it when it stops between creating the webhook and verifying it: Pending, queued nowhere.
        await store.UpdateConfigAsync(
            created with { Status = WebhookStatus.Pending, StatusReason = "Awaiting verification.", VerificationMode = VerificationMode.Challenge },
            created.Generation,
            CancellationToken.None);
        var held = (await host.PublishAsync("evt_held")).MessageIds.Single();
        await host.WaitForMessageAsync(created.Id, held, d => d.Message.NextAttemptAt is null, "held while the webhook is Pending");
        host.Time.Advance(Webhooks.Core.Internal.WebhookDispatcher.VerificationStrandedAfter + TimeSpan.FromSeconds(1));

        var active = await host.WaitForWebhookAsync(created.Id, w => w.Status == WebhookStatus.Active, "verified again by housekeeping");
        var delivered = await host.WaitForMessageAsync(created.Id, held, d => d.Message.Status == MessageStatus.Success, "the held message delivered");
        Assert.Multiple(() =>
        {
            Assert.That(active.StatusReason, Is.EqualTo("Webhook handshake accepted."));
            Assert.That(host.Receiver.Requests.Count(r => r.Method == "GET"), Is.EqualTo(1), "one handshake");
            Assert.That(delivered.Attempts, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Handshake_WrongAnswer_WebhookDisabledWithWarning()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);

        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        var refused = await host.WaitForWebhookAsync(webhook.Id, w => w.State == WebhookState.Disabled, "handshake refused");
        await host.WaitForNotificationAsync(webhook.Id, WebhookNotificationKind.WebhookDisabled);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(WebhookStatus.Warning));
            Assert.That(refused.StatusReason, Is.EqualTo("Incorrect handshake response."));
        });
    }

    // The caller read generation 1 (an If-Match), then someone renamed the webhook: the change it asks for is refused,
    // and the webhook is left as the other caller made it.
    [TestCase("delete")]
    [TestCase("test")]
    [TestCase("rotate")]
    public async Task ChangeAtAStaleGeneration_IsRefusedAndChangesNothing(string change)
    {
        await using var host = await EngineHost.StartAsync();
        var created = await host.CreateAsync();
        var read = (await host.Endpoints.GetAsync(created.Webhook.Id))!;
        var renamed = await host.Endpoints.UpdateAsync(read.Id, new WebhookUpdate { Name = "renamed" });

        Assert.ThrowsAsync<WebhookConcurrencyException>(() => change switch
        {
            "delete" => host.Endpoints.DeleteAsync(read.Id, read.Generation),
            "test" => host.Endpoints.TestAsync(read.Id, read.Generation),
            _ => host.Endpoints.RotateSecretAsync(read.Id, read.Generation),
        });

        var after = (await host.Endpoints.GetAsync(read.Id))!;
        Assert.That((after.Generation, after.Secrets.Count, after.Status), Is.EqualTo((renamed.Generation, renamed.Secrets.Count, renamed.Status)));
    }

    [TestCase("delete")]
    [TestCase("test")]
    [TestCase("rotate")]
    public async Task ChangeAtTheCurrentGeneration_IsMade(string change)
    {
        await using var host = await EngineHost.StartAsync();
        var read = (await host.CreateAsync()).Webhook;

        switch (change)
        {
            case "delete":
                Assert.That(await host.Endpoints.DeleteAsync(read.Id, read.Generation), Is.True);
                Assert.That(await host.Endpoints.GetAsync(read.Id), Is.Null);
                break;
            case "test":
                Assert.That((await host.Endpoints.TestAsync(read.Id, read.Generation)).Status, Is.EqualTo(WebhookStatus.Active));
                break;
            default:
                Assert.That((await host.Endpoints.RotateSecretAsync(read.Id, read.Generation)).Webhook.Secrets, Has.Count.EqualTo(2));
                break;
        }
    }

    // Every valid secret signs every delivery: rotating in a loop must not grow the signature (and the work of each
    // attempt) without bound.
    [Test]
    public async Task RotateSecret_ManyTimesWithinTheGracePeriod_KeepsTheTenNewest()
    {
        await using var host = await EngineHost.StartAsync();
        var created = await host.CreateAsync();
        var secrets = new List<string> { created.Secret };

        for (var i = 0; i < 12; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            secrets.Add((await host.Endpoints.RotateSecretAsync(created.Webhook.Id)).Secret);
        }

        var webhook = (await host.Endpoints.GetAsync(created.Webhook.Id))!;
        Assert.That(webhook.Secrets.Select(static s => s.Key), Is.EqualTo(Enumerable.Reverse(secrets).Take(10)));
    }

    [Test]
    public async Task RotateSecret_NextDelivery_CarriesOldAndNewSignatures()
    {
        await using var host = await EngineHost.StartAsync();
        var created = await host.CreateAsync();

        var rotated = await host.Endpoints.RotateSecretAsync(created.Webhook.Id);
        await host.PublishAsync("evt_rotated");

        var request = (await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline))[0];
        var signatures = request.Headers["webhook-signature"].Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(rotated.Secret, Is.Not.EqualTo(created.Secret));
            Assert.That(signatures, Has.Length.EqualTo(2));
            foreach (var secret in new[] { created.Secret, rotated.Secret })
            {
                var verifier = new StandardWebhooksVerifier([secret], timeProvider: host.Time);
                Assert.That(verifier.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], request.Body.Span), Is.EqualTo(SignatureVerificationResult.Valid));
            }
        });
    }

    [Test]
    public async Task Create_InvalidDefinition_ReportsEveryProblemAndStoresNothing()
    {
        await using var host = await EngineHost.StartAsync(o => o.AllowHttp = false);

        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.Endpoints.CreateAsync(new WebhookDefinition
        {
            Url = "http://example.com/hook",
            EventFilter = "type eq 'a' and (",
            Headers = new Dictionary<string, string> { ["webhook-id"] = "x" },
        }));

        Assert.Multiple(async () =>
        {
            Assert.That(error!.Problems.Select(p => p.Field), Is.SupersetOf(new[] { "url", "eventFilter" }));
            Assert.That(error.Problems.Any(p => p.Field.StartsWith("headers", StringComparison.Ordinal)), Is.True);
            Assert.That((await host.Endpoints.ListAsync(new WebhookConfigQuery { IncludeUserDisabled = true })).Total, Is.Zero);
        });
    }

    [Test]
    public async Task Enable_MoreThanFiveTimesInFifteenMinutes_IsRateLimited()
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync()).Webhook;

        for (var i = 0; i < 5; i++)
        {
            await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
            await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        }

        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        Assert.ThrowsAsync<WebhookRateLimitedException>(() => host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled }));

        host.Time.Advance(TimeSpan.FromMinutes(15));
        var enabled = await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        Assert.That(enabled.State, Is.EqualTo(WebhookState.Enabled));
    }

    [Test]
    public async Task Enable_RateLimitPeriodForever_RefusesWithoutOverflowing()
    {
        await using var host = await EngineHost.StartAsync(static o => (o.EnableRateLimit, o.EnableRateLimitPeriod) = (1, TimeSpan.MaxValue));
        var webhook = (await host.CreateAsync()).Webhook;
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });

        var refused = Assert.ThrowsAsync<WebhookRateLimitedException>(() => host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled }));

        Assert.That(refused!.RetryAt, Is.EqualTo(DateTimeOffset.MaxValue));
    }

    [Test]
    public async Task Enable_RateLimit_IsCountedByEveryHostSharingTheStoreAndSurvivesARestart()
    {
        var store = new InMemoryWebhookStore();
        void SharedStore(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<IWebhookStore>(store));
        await using var first = await EngineHost.StartAsync(services: SharedStore);
        await using var second = await EngineHost.StartAsync(services: SharedStore);
        var webhook = (await first.CreateAsync()).Webhook;
        for (var i = 0; i < 5; i++)
        {
            var host = i % 2 == 0 ? first : second;
            await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
            await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        }

        await second.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        var refused = Assert.ThrowsAsync<WebhookRateLimitedException>(() => first.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled }));
        await using var restarted = await EngineHost.StartAsync(services: SharedStore);
        Assert.ThrowsAsync<WebhookRateLimitedException>(() => restarted.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled }));

        Assert.Multiple(async () =>
        {
            Assert.That(refused!.Message, Does.Contain("enabled 5 times within 15 minutes").And.Contain("try again after 2026-01-05 09:15:00 UTC"));
            Assert.That(refused.RetryAt, Is.EqualTo(EngineHost.Start.AddMinutes(15)));
            var stored = await store.GetConfigAsync(webhook.Id, CancellationToken.None);
            Assert.That(stored!.State, Is.EqualTo(WebhookState.Disabled), "a refused enable changes nothing");
            Assert.That(stored.EnabledAt, Has.Count.EqualTo(5));
        });
    }

    [Test]
    public async Task Test_WebhookDisabledBySystem_EnablesItAndCountsAgainstTheRateLimit()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Status(410));
        var webhook = (await host.CreateAsync()).Webhook;
        await host.PublishAsync("evt_gone");
        await host.WaitForWebhookAsync(webhook.Id, w => w.State == WebhookState.Disabled, "disabled by the 410");

        for (var i = 0; i < 5; i++)
        {
            var tested = await host.Endpoints.TestAsync(webhook.Id);
            Assert.That(tested.State, Is.EqualTo(WebhookState.Disabled), "the test event is answered 410 too");
        }

        var refused = Assert.ThrowsAsync<WebhookRateLimitedException>(() => host.Endpoints.TestAsync(webhook.Id));
        Assert.That(refused!.RetryAt, Is.EqualTo(EngineHost.Start.AddMinutes(15)));
    }

    [Test]
    public async Task Update_StaleGeneration_IsRejected()
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync()).Webhook;
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Name = "renamed" }, webhook.Generation);

        Assert.ThrowsAsync<WebhookConcurrencyException>(() => host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Name = "again" }, webhook.Generation));
    }

    [Test]
    public async Task Disable_WebhookTheSystemDisabled_BecomesDisabledByItsOwner()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Ok); // does not echo the challenge
        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        await host.WaitForWebhookAsync(webhook.Id, w => w.State == WebhookState.Disabled, "handshake refused");

        var disabled = await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        var listed = await host.Endpoints.ListAsync(new WebhookConfigQuery());

        Assert.Multiple(() =>
        {
            Assert.That(disabled.Status, Is.EqualTo(WebhookStatus.Disabled));
            Assert.That(disabled.StatusReason, Is.EqualTo("User disabled the webhook."));
            Assert.That(listed.Items.Select(static w => w.Id), Does.Not.Contain(webhook.Id), "hidden by default, as its owner disabled it");
            Assert.ThrowsAsync<InvalidTransitionException>(() => host.Endpoints.TestAsync(webhook.Id), "a test does not enable what its owner disabled");
        });
    }

    [Test]
    public async Task CreateAndUpdate_HeaderNamedTwiceInOtherCase_IsAValidationProblemNamingIt()
    {
        await using var host = await EngineHost.StartAsync();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Api-Key"] = "a", ["x-api-key"] = "b" };
        var webhook = (await host.CreateAsync()).Webhook;

        var created = Assert.ThrowsAsync<WebhookValidationException>(() => host.CreateAsync("/twice", d => d with { Headers = headers }));
        var updated = Assert.ThrowsAsync<WebhookValidationException>(() => host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Headers = headers }));

        Assert.Multiple(async () =>
        {
            Assert.That(created!.Problems.Select(static p => p.Field), Does.Contain("headers.x-api-key"));
            Assert.That(updated!.Problems.Select(static p => p.Field), Does.Contain("headers.x-api-key"));
            Assert.That((await host.Endpoints.GetAsync(webhook.Id))!.Headers, Is.Empty, "the update stored nothing");
        });
    }

    [TestCase(" ")]
    [TestCase("\t\n")]
    public async Task Update_BlankFilter_ClearsItAndPublishingGoesOn(string filter)
    {
        await using var host = await EngineHost.StartAsync();
        var changed = (await host.CreateAsync("/changed", d => d with { EventFilter = "total gt 1" })).Webhook;
        await host.CreateAsync("/other");

        var stored = await host.Endpoints.UpdateAsync(changed.Id, new WebhookUpdate { EventFilter = System.Text.RegularExpressions.Regex.Unescape(filter) });
        var published = await host.PublishAsync("evt_blank", json: """{"total": 0}""");

        Assert.Multiple(() =>
        {
            Assert.That(stored.EventFilter, Is.Null);
            Assert.That(published.MessageIds, Has.Count.EqualTo(2), "both webhooks, the changed one with no filter");
        });
    }

    [TestCase(false, WebhookStatus.Active)]
    [TestCase(true, WebhookStatus.Pending)]
    public async Task Handshake_HeadersChangedWhileItRan_ItsAnswerDoesNotVerifyTheNewHeaders(bool changeHeaders, WebhookStatus expected)
    {
        var transport = new ChangingTarget();
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var now = host.Host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await store.AddConfigAsync(
            new WebhookConfig
            {
                Id = "wh_target",
                Name = "target",
                Url = host.Receiver.UrlFor("/hook"),
                Headers = new Dictionary<string, string> { ["X-Api-Key"] = "old" },
                Secrets = [WebhookSecret.Generate(now)],
                Status = WebhookStatus.Pending,
                VerificationMode = VerificationMode.Challenge,
                CreatedAt = now,
                UpdatedAt = now,
                Generation = 1,
            },
            CancellationToken.None);

        // The receiver answers the challenge sent with the old key, after its owner set a new key (when told to).
        transport.DuringHandshake = changeHeaders
            ? async () =>
            {
                var current = (await store.GetConfigAsync("wh_target", CancellationToken.None))!;
                await store.UpdateConfigAsync(current with { Headers = new Dictionary<string, string> { ["X-Api-Key"] = "new" } }, current.Generation, CancellationToken.None);
            }
            : static () => Task.CompletedTask;
        var verified = await host.Host.Services.GetRequiredService<Webhooks.Core.Internal.VerificationRunner>().VerifyAsync("wh_target", CancellationToken.None);

        Assert.That(verified!.Status, Is.EqualTo(expected));
    }

    /// <summary>Echoes every challenge, after running <see cref="DuringHandshake"/>.</summary>
    private sealed class ChangingTarget : IDeliveryTransport
    {
        public Func<Task> DuringHandshake { get; set; } = static () => Task.CompletedTask;

        public async ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
        {
            var challenge = request.Headers.FirstOrDefault(static h => h.Key == "webhook-verification-challenge").Value;
            await DuringHandshake();
            return new DeliveryResult { StatusCode = 200, ResponseBody = $$"""{"verification": "{{challenge}}"}""" };
        }
    }

    [Test]
    public async Task WebhookStoredBeforeASizeLimit_CanStillBeDisabledAndRenamed()
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync()).Webhook;
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var current = (await store.GetConfigAsync(webhook.Id, default))!;
        var longUrl = host.Receiver.UrlFor("/hook?" + new string('q', WebhookValidator.MaxUrlLength));
        await store.UpdateConfigAsync(current with { Url = longUrl }, current.Generation, default);

        var disabled = await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled, Name = "renamed" });
        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = longUrl + "x" }));

        Assert.That((disabled.State, disabled.Name), Is.EqualTo((WebhookState.Disabled, "renamed")));
        Assert.That(error!.Problems.Select(p => p.Field), Is.EqualTo(new[] { "url" }), "a URL the update sets is held to the limit");
    }
}
