namespace Webhooks.Core.PostgreSql.Tests;

public sealed class PostgreSqlWebhookStoreConfigTests : PostgreSqlTestBase
{
    [Test]
    public async Task AddConfigAsync_ThenGet_RoundTripsEveryField()
    {
        var store = CreateStore();
        var config = TestData.Config("wh-1") with
        {
            Secrets =
            [
                new WebhookSecret { Key = "whsec_old", CreatedAt = Now.AddDays(-2), ExpiresAt = Now.AddHours(3) },
                new WebhookSecret { Key = "whsec_new", CreatedAt = Now },
            ],
            EnabledAt = [Now.AddMinutes(-10), Now],
            CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)),
        };

        await store.AddConfigAsync(config, Timeout);
        var stored = await store.GetConfigAsync("wh-1", Timeout);

        Assert.That(stored, Is.Not.Null);
        Assert.That(stored!.Headers, Is.EquivalentTo(config.Headers));
        Assert.That(stored.Headers.ContainsKey("X-API-KEY"), Is.True, "header names compare case-insensitively");
        Assert.That(stored.Secrets, Is.EqualTo(config.Secrets));
        Assert.That(stored.EventTypes, Is.EqualTo(config.EventTypes));
        Assert.That(stored.EnabledAt, Is.EqualTo(config.EnabledAt));
        Assert.That(
            stored with { Headers = config.Headers, Secrets = config.Secrets, EventTypes = config.EventTypes, EnabledAt = config.EnabledAt },
            Is.EqualTo(config));
    }

    [Test]
    public async Task AddConfigAsync_DuplicateId_ThrowsConflict()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        Assert.That(async () => await store.AddConfigAsync(TestData.Config("wh-1"), Timeout), Throws.TypeOf<WebhookConflictException>());
    }

    [Test]
    public async Task AddConfigAsync_TenantIdLongerThanMaxIdLength_ThrowsNamingItAndStoresNothing()
    {
        var store = CreateStore();

        Assert.That(
            async () => await store.AddConfigAsync(TestData.Config("wh-long", tenantId: new string('t', 8000)), Timeout),
            Throws.ArgumentException.With.Message.Contains("config.TenantId").And.Message.Contains("at most 256"));
        Assert.That(
            async () => await store.AddConfigAsync(TestData.Config("wh-long", tenantId: new string('t', PostgreSqlWebhookStore.MaxIdLength + 1)), Timeout),
            Throws.ArgumentException.With.Message.Contains("config.TenantId"));
        Assert.That(await store.GetConfigAsync("wh-long", Timeout), Is.Null);
    }

    [Test]
    public async Task UpdateConfigAsync_TenantIdLongerThanMaxIdLength_ThrowsNamingItAndKeepsStored()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        Assert.That(
            async () => await store.UpdateConfigAsync(TestData.Config("wh-1", tenantId: new string('t', 8000)), 1, Timeout),
            Throws.ArgumentException.With.Message.Contains("config.TenantId").And.Message.Contains("at most 256"));
        Assert.That((await store.GetConfigAsync("wh-1", Timeout))!.TenantId, Is.EqualTo("tenant-1"));
    }

    [Test]
    public async Task AddAndUpdateConfigAsync_KeyWithNul_ThrowsNamingIt()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        Assert.That(
            async () => await store.AddConfigAsync(TestData.Config("wh\0"), Timeout),
            Throws.ArgumentException.With.Message.Contains("config.Id").And.Message.Contains("U+0000"));
        Assert.That(
            async () => await store.UpdateConfigAsync(TestData.Config("wh-1", tenantId: "t\0"), 1, Timeout),
            Throws.ArgumentException.With.Message.Contains("config.TenantId"));
        Assert.That((await store.GetConfigAsync("wh-1", Timeout))!.Generation, Is.EqualTo(1));
    }

    [Test]
    public async Task UpdateConfigAsync_ExpectedGeneration_StoresAndIncrements()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        var updated = await store.UpdateConfigAsync(TestData.Config("wh-1") with { Url = "https://example.org/new" }, 1, Timeout);
        var stored = await store.GetConfigAsync("wh-1", Timeout);

        Assert.That(updated.Generation, Is.EqualTo(2));
        Assert.That(stored!.Generation, Is.EqualTo(2));
        Assert.That(stored.Url, Is.EqualTo("https://example.org/new"));
    }

    [Test]
    public async Task UpdateConfigAsync_StaleGeneration_ThrowsConcurrencyAndKeepsStored()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await store.UpdateConfigAsync(TestData.Config("wh-1") with { Name = "first" }, 1, Timeout);

        Assert.That(
            async () => await store.UpdateConfigAsync(TestData.Config("wh-1") with { Name = "second" }, 1, Timeout),
            Throws.TypeOf<WebhookConcurrencyException>());
        Assert.That((await store.GetConfigAsync("wh-1", Timeout))!.Name, Is.EqualTo("first"));
    }

    [Test]
    public async Task UpdateConfigAsync_ConcurrentWritersFromTwoInstances_ExactlyOneWins()
    {
        var a = CreateStore();
        var b = CreateStore();
        await a.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).UpdateConfigAsync(TestData.Config("wh-1") with { Name = "writer " + i }, 1, Timeout);
                return true;
            }
            catch (WebhookConcurrencyException)
            {
                return false;
            }
        })));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
        Assert.That((await a.GetConfigAsync("wh-1", Timeout))!.Generation, Is.EqualTo(2));
    }

    [Test]
    public async Task UpdateConfigAsync_Missing_ThrowsNotFound()
    {
        var store = CreateStore();

        Assert.That(async () => await store.UpdateConfigAsync(TestData.Config("wh-1"), 1, Timeout), Throws.TypeOf<WebhookNotFoundException>());
    }

    [Test]
    public async Task DeleteConfigAsync_Existing_RemovesConfigMessagesAndAttempts()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-2", Now, Now)], Timeout);
        var lease = (await store.ClaimDueAsync(Now, 10, TimeSpan.FromMinutes(1), Timeout)).Single(l => l.Message.Id == "m-1");
        await store.CompleteAsync([new MessageOutcome(lease.LeaseId, lease.Message with { AttemptCount = 1 }, TestData.Attempt(1, Now, 500))], Timeout);

        Assert.That(await store.DeleteConfigAsync("wh-1", Timeout), Is.True);

        Assert.That(await store.GetConfigAsync("wh-1", Timeout), Is.Null);
        Assert.That(await store.GetMessageAsync("m-1", Timeout), Is.Null);
        Assert.That(await store.GetAttemptsAsync("m-1", Timeout), Is.Empty);
        Assert.That(await store.GetMessageAsync("m-2", Timeout), Is.Not.Null);
        Assert.That(await store.DeleteConfigAsync("wh-1", Timeout), Is.False);
    }

    [Test]
    public async Task ListConfigsAsync_Filters_MatchWebhookConfigQueryMatches()
    {
        var store = CreateStore();
        WebhookConfig[] configs =
        [
            TestData.Config("a", createdAt: Now.AddDays(-3)),
            TestData.Config("b", createdAt: Now.AddDays(-2)) with { Status = WebhookStatus.Disabled, State = WebhookState.Disabled },
            TestData.Config("c", createdAt: Now.AddDays(-1)) with { Status = WebhookStatus.Error, State = WebhookState.Disabled },
            TestData.Config("d", createdAt: Now) with { Status = WebhookStatus.Pending },
            TestData.Config("e", tenantId: null, createdAt: Now),
            TestData.Config("f", tenantId: "tenant-2", createdAt: Now),
        ];
        foreach (var config in configs)
        {
            await store.AddConfigAsync(config, Timeout);
        }

        WebhookConfigQuery[] queries =
        [
            new() { TenantId = "tenant-1" },
            new() { TenantId = "tenant-1", IncludeUserDisabled = true },
            new() { TenantId = "tenant-1", State = WebhookState.Disabled },
            new() { TenantId = "tenant-1", Status = WebhookStatus.Disabled },
            new() { TenantId = "tenant-1", CreatedFrom = Now.AddDays(-2), CreatedTo = Now },
            new() { TenantId = null },
            new() { TenantId = "tenant-2" },
        ];
        foreach (var query in queries)
        {
            var page = await store.ListConfigsAsync(query, Timeout);
            var expected = configs.Where(query.Matches).OrderByDescending(c => c.CreatedAt).Select(c => c.Id).ToArray();
            Assert.That(page.Items.Select(c => c.Id), Is.EqualTo(expected), query.ToString());
            Assert.That(page.Total, Is.EqualTo(expected.Length), query.ToString());
        }
    }

    [Test]
    public async Task ListConfigsAsync_Paging_ReturnsPageAndTotal()
    {
        var store = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            await store.AddConfigAsync(TestData.Config("wh-" + i, createdAt: Now.AddMinutes(i)), Timeout);
        }

        var page = await store.ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-1", Offset = 1, Limit = 2 }, Timeout);
        var beyond = await store.ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-1", Offset = 10, Limit = 2 }, Timeout);

        Assert.That(page.Items.Select(c => c.Id), Is.EqualTo(new[] { "wh-3", "wh-2" }));
        Assert.That(page.Total, Is.EqualTo(5));
        Assert.That(beyond.Items, Is.Empty);
        Assert.That(beyond.Total, Is.EqualTo(5));
    }

    [Test]
    public async Task GetTenantConfigsAsync_ReturnsEveryStateOfThatTenantOnly()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("a"), Timeout);
        await store.AddConfigAsync(TestData.Config("b") with { Status = WebhookStatus.Disabled, State = WebhookState.Disabled }, Timeout);
        await store.AddConfigAsync(TestData.Config("c", tenantId: null), Timeout);
        await store.AddConfigAsync(TestData.Config("d", tenantId: "tenant-2"), Timeout);

        Assert.That((await store.GetTenantConfigsAsync("tenant-1", Timeout)).Select(c => c.Id), Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That((await store.GetTenantConfigsAsync(null, Timeout)).Select(c => c.Id), Is.EquivalentTo(new[] { "c" }));
    }

    // A failed test-event verification words the reason with the transport's error text ("Test event was not
    // accepted: ..."), which a custom transport may fill with anything; jsonb refuses U+0000 even escaped, so the
    // verification's result could not be stored and the webhook stayed Pending, verified again and again.
    [Test]
    public async Task AddAndUpdateConfigAsync_StatusReasonWithNul_StoredWithReplacementCharacter()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1") with { StatusReason = "created\0" }, Timeout);

        var updated = await store.UpdateConfigAsync(
            TestData.Config("wh-1") with { State = WebhookState.Disabled, Status = WebhookStatus.Warning, StatusReason = "Test event was not accepted: e\0rror" },
            expectedGeneration: 1,
            Timeout);

        Assert.That(updated.Generation, Is.EqualTo(2));
        var stored = await CreateStore().GetConfigAsync("wh-1", Timeout);
        Assert.That((stored!.Status, stored.StatusReason), Is.EqualTo((WebhookStatus.Warning, "Test event was not accepted: e\uFFFDrror")));
    }
}
