using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Configs: create, read, update with optimistic concurrency, delete, and the tenant's configs for routing.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>A config added is read back with every field.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task AddConfigAsync_NewConfig_GetConfigAsyncReturnsEveryField()
    {
        var config = FullConfig("wh-1", "tenant-a");

        await Store.AddConfigAsync(config, None);

        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), config);
    }

    /// <summary>
    /// The routing read and the listing return every field too, as the engine routes (event types, filter, state, the
    /// default) and settles default claims from them.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task GetTenantConfigsAndListConfigs_ReturnEveryField()
    {
        var config = FullConfig("wh-1", "tenant-a");
        await Store.AddConfigAsync(config, None);

        var routed = await Store.GetTenantConfigsAsync("tenant-a", None);
        var listed = await Store.ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", IncludeUserDisabled = true }, None);

        Assert.That(routed, Has.Count.EqualTo(1));
        AssertSameConfig(routed[0], config);
        Assert.That(listed.Items, Has.Count.EqualTo(1));
        AssertSameConfig(listed.Items[0], config);
    }

    private static WebhookConfig FullConfig(string id, string tenantId) => NewConfig(id, tenantId) with
    {
        EventTypes = ["order.created", "invoice.*"],
        EventFilter = "type eq 'order.created' and new/total gt 100",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Api-Key"] = "key-1", ["X-Region"] = "eu" },
        Secrets =
        [
            new WebhookSecret { Key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt = At(-3600), ExpiresAt = At(82800) },
            new WebhookSecret { Key = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", CreatedAt = At(0) },
        ],
        State = WebhookState.Disabled,
        Status = WebhookStatus.Warning,
        StatusReason = "Incorrect handshake response.",
        IsDefault = true,
        VerificationMode = VerificationMode.Challenge,
        Health = new HealthWindow(0b1011, 4, 2, 0),
        EnabledAt = [At(-600), At(-60)],
        DefaultClaimedAt = At(20),
        UpdatedAt = At(30),
    };

    /// <summary>Adding a second config with an id in use fails with <see cref="WebhookConflictException"/> and keeps the first.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task AddConfigAsync_DuplicateId_ThrowsConflictAndKeepsTheFirst()
    {
        var first = NewConfig("wh-1", "tenant-a");
        await Store.AddConfigAsync(first, None);

        Assert.ThrowsAsync<WebhookConflictException>(async () =>
            await Store.AddConfigAsync(NewConfig("wh-1", "tenant-b") with { Name = "Second" }, None));
        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), first);
        Assert.That(await Store.GetTenantConfigsAsync("tenant-b", None), Is.Empty);
    }

    /// <summary>
    /// A config added with the id of a deleted one starts without the messages left for the deleted one, or their attempts (a publish
    /// routed to it just before the delete stored them after); adding a config whose id is in use deletes none of its.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task AddConfigAsync_IdOfADeletedConfig_DeletesTheMessagesLeftForIt()
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"), NewConfig("wh-2", "tenant-a"));
        await Store.DeleteConfigAsync("wh-1", None);
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { TenantId = "tenant-a" });
        var attempted = Attempted(await ClaimOneAsync(0), at: 1, statusCode: 500);
        await CompleteAsync(attempted);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.EqualTo(new[] { attempted.Attempt }), "the leftover message's attempt is logged");
        await EnqueueAsync(NewMessage("m-2", "wh-2") with { TenantId = "tenant-a" });

        await Store.AddConfigAsync(NewConfig("wh-1", "tenant-b"), None);
        Assert.ThrowsAsync<WebhookConflictException>(async () => await Store.AddConfigAsync(NewConfig("wh-2", "tenant-b"), None));

        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Null);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.Empty, "its attempts went with it");
        Assert.That((await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" }, None)).Total, Is.Zero);
        Assert.That(Ids(await ClaimAsync(3600)), Is.EqualTo(new[] { "m-2" }));
    }

    /// <summary>
    /// A config added with the id of a deleted one is not handed the messages left for the deleted one, also when they
    /// were stored while a dispatcher was claiming (a store may lease new messages to it as it stores them).
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task AddConfigAsync_IdOfADeletedConfigWhileClaiming_LeftoverMessagesNotClaimed()
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"));
        await Store.DeleteConfigAsync("wh-1", None);
        Assert.That(await ClaimAsync(0), Is.Empty);
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { TenantId = "tenant-a" });

        await Store.AddConfigAsync(NewConfig("wh-1", "tenant-a"), None);

        Assert.That(Ids(await ClaimAsync(0)), Is.Empty, "the leftover message went with the deleted config");
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Null);
    }

    /// <summary>
    /// The configs awaiting verification are the enabled Pending ones of every tenant updated before the bound, least
    /// recently updated first, at most as many as asked.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListAwaitingVerificationAsync_MixedConfigs_ReturnsEnabledPendingOnesUpdatedBeforeTheBoundOldestFirst()
    {
        WebhookConfig Pending(string id, string? tenantId, int updatedAt) =>
            NewConfig(id, tenantId) with { Status = WebhookStatus.Pending, VerificationMode = VerificationMode.Challenge, UpdatedAt = At(updatedAt) };
        await AddConfigsAsync(
            Pending("newer", "tenant-a", 20),
            Pending("older", "tenant-b", 10),
            Pending("default-tenant", null, 15),
            Pending("too-young", "tenant-a", 60),
            Pending("user-disabled", "tenant-a", 5) with { State = WebhookState.Disabled },
            NewConfig("active", "tenant-a") with { UpdatedAt = At(5) },
            NewConfig("error", "tenant-b") with { Status = WebhookStatus.Error, UpdatedAt = At(5) });

        var awaiting = await Store.ListAwaitingVerificationAsync(At(60), 10, None);
        var firstTwo = await Store.ListAwaitingVerificationAsync(At(60), 2, None);

        Assert.That(
            awaiting.Select(c => c.Id),
            Is.EqualTo(new[] { "older", "default-tenant", "newer" }),
            "The interface's default ListAwaitingVerificationAsync finds none: implement it, or webhooks left Pending by a stopped process stay Pending.");
        Assert.That(firstTwo.Select(c => c.Id), Is.EqualTo(new[] { "older", "default-tenant" }));
        AssertSameConfig(awaiting[0], Pending("older", "tenant-b", 10));
    }

    /// <summary>Reading an unknown config returns <see langword="null"/>.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task GetConfigAsync_UnknownId_ReturnsNull()
    {
        await AddWebhooksAsync("wh-1");

        Assert.That(await Store.GetConfigAsync("wh-2", None), Is.Null);
    }

    /// <summary>An update at the expected generation is stored with the next generation, whatever generation it carried.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateConfigAsync_ExpectedGeneration_StoresNextGeneration()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        var change = NewConfig("wh-1") with
        {
            Name = "Renamed", Url = "https://receiver.example/new", EnabledAt = [At(30)], IsDefault = true, DefaultClaimedAt = At(40), UpdatedAt = At(60), Generation = 42,
        };

        var updated = await Store.UpdateConfigAsync(change, expectedGeneration: 1, None);
        var expected = change with { Generation = 2 };
        AssertSameConfig(updated, expected);
        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), expected);

        // Fields set to nothing are stored as nothing.
        var cleared = expected with { IsDefault = false, DefaultClaimedAt = null, EnabledAt = [], StatusReason = null };
        await Store.UpdateConfigAsync(cleared, expectedGeneration: 2, None);
        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), cleared with { Generation = 3 });
    }

    /// <summary>Each update moves the generation on by one, so a caller holding an older generation is refused.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateConfigAsync_Repeatedly_IncrementsGenerationEachTime()
    {
        await AddConfigsAsync(NewConfig("wh-1"));

        var second = await Store.UpdateConfigAsync(NewConfig("wh-1") with { Name = "Two" }, 1, None);
        var third = await Store.UpdateConfigAsync(second with { Name = "Three" }, second.Generation, None);

        Assert.That((second.Generation, third.Generation), Is.EqualTo((2L, 3L)));
        Assert.ThrowsAsync<WebhookConcurrencyException>(async () =>
            await Store.UpdateConfigAsync(second with { Name = "Lost update" }, second.Generation, None));
        Assert.That((await Store.GetConfigAsync("wh-1", None))?.Name, Is.EqualTo("Three"));
    }

    /// <summary>An update at another generation fails with <see cref="WebhookConcurrencyException"/> and changes nothing.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateConfigAsync_StaleGeneration_ThrowsConcurrencyAndKeepsStored()
    {
        var original = NewConfig("wh-1");
        await AddConfigsAsync(original);

        Assert.ThrowsAsync<WebhookConcurrencyException>(async () =>
            await Store.UpdateConfigAsync(original with { Name = "Changed" }, expectedGeneration: 7, None));
        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), original);
    }

    /// <summary>
    /// An update of a config that was deleted and created again since it was read (ids may be chosen, so perhaps by
    /// another tenant), at the generation it was read, fails with <see cref="WebhookConcurrencyException"/> and leaves
    /// the new config as it is: its generations start again, so only its tenant and creation time tell it apart.
    /// </summary>
    /// <param name="otherTenant">Whether the config is created again for another tenant, or for the same one later.</param>
    /// <returns>A task that completes with the test.</returns>
    [TestCase(true)]
    [TestCase(false)]
    public async Task UpdateConfigAsync_DeletedAndCreatedAgainSinceRead_ThrowsConcurrencyAndKeepsTheNewOne(bool otherTenant)
    {
        var (read, again) = await ReadThenCreateAgainAsync(otherTenant);

        Assert.ThrowsAsync<WebhookConcurrencyException>(async () =>
            await Store.UpdateConfigAsync(read with { Url = "https://receiver.example/taken-over" }, read.Generation, None));
        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), again);
    }

    /// <summary>Adds "wh-1" of tenant A and reads it, then deletes it and adds it again, for another tenant or the same.</summary>
    private async Task<(WebhookConfig Read, WebhookConfig Again)> ReadThenCreateAgainAsync(bool otherTenant)
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"));
        var read = (await Store.GetConfigAsync("wh-1", None))!;
        await Store.DeleteConfigAsync("wh-1", None);
        var again = NewConfig("wh-1", otherTenant ? "tenant-b" : "tenant-a", createdAt: 5);
        await AddConfigsAsync(again);
        return (read, again);
    }

    /// <summary>Updating an unknown config fails with <see cref="WebhookNotFoundException"/> and stores nothing.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateConfigAsync_UnknownId_ThrowsNotFound()
    {
        Assert.ThrowsAsync<WebhookNotFoundException>(async () =>
            await Store.UpdateConfigAsync(NewConfig("wh-1"), expectedGeneration: 1, None));
        Assert.That(await Store.GetConfigAsync("wh-1", None), Is.Null);
    }

    /// <summary>Deleting a config removes it from reads, listings and routing, and reports it.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task DeleteConfigAsync_Existing_ReturnsTrueAndRemovesIt()
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"), NewConfig("wh-2", "tenant-a"));

        var deleted = await Store.DeleteConfigAsync("wh-1", None);

        Assert.That(deleted, Is.True);
        Assert.That(await Store.GetConfigAsync("wh-1", None), Is.Null);
        Assert.That(Ids(await Store.GetTenantConfigsAsync("tenant-a", None)), Is.EqualTo(new[] { "wh-2" }));
        var page = await Store.ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a" }, None);
        Assert.That((Ids(page.Items), page.Total), Is.EqualTo((new[] { "wh-2" }, 1)));
        Assert.That(await Store.DeleteConfigAsync("wh-1", None), Is.False, "a second delete");
    }

    /// <summary>Deleting an unknown config returns <see langword="false"/>.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task DeleteConfigAsync_UnknownId_ReturnsFalse()
    {
        await AddWebhooksAsync("wh-1");

        Assert.That(await Store.DeleteConfigAsync("wh-2", None), Is.False);
        Assert.That(await Store.GetConfigAsync("wh-1", None), Is.Not.Null);
    }

    /// <summary>
    /// Deleting at an expected generation deletes the config with its messages while it is at that generation; at another
    /// it throws <see cref="WebhookConcurrencyException"/> and deletes nothing; an unknown config returns <see langword="false"/>.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task DeleteConfigAsync_ExpectedGeneration_DeletesOnlyThatVersion()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var current = (await Store.GetConfigAsync("wh-1", None))!;
        var updated = await Store.UpdateConfigAsync(current with { Name = "renamed" }, current.Generation, None);

        Assert.That(async () => await Store.DeleteConfigAsync("wh-1", current.Generation, None), Throws.InstanceOf<WebhookConcurrencyException>());
        Assert.That(await Store.GetConfigAsync("wh-1", None), Is.Not.Null, "a stale generation deletes nothing");
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Not.Null, "nor the config's messages");

        Assert.That(await Store.DeleteConfigAsync("wh-1", updated.Generation, None), Is.True);
        Assert.That(await Store.GetConfigAsync("wh-1", None), Is.Null);
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Null);
        Assert.That(await Store.DeleteConfigAsync("wh-1", updated.Generation, None), Is.False, "a second delete");
    }

    /// <summary>
    /// Deleting a config as it was read deletes it with its messages while it is that config at that generation; one
    /// changed since, or deleted and created again with its id (ids may be chosen, so perhaps by another tenant, and
    /// generations start again), is left with its messages and <see cref="WebhookConcurrencyException"/> is thrown.
    /// </summary>
    /// <param name="otherTenant">Whether the config is created again for another tenant, or for the same one later.</param>
    /// <returns>A task that completes with the test.</returns>
    [TestCase(true)]
    [TestCase(false)]
    public async Task DeleteConfigAsync_ConfigRead_DeletesOnlyThatConfigAtThatGeneration(bool otherTenant)
    {
        var (read, again) = await ReadThenCreateAgainAsync(otherTenant);
        await EnqueueAsync(NewMessage("m-1", "wh-1"));

        Assert.That(async () => await Store.DeleteConfigAsync(read, None), Throws.InstanceOf<WebhookConcurrencyException>());
        AssertSameConfig(await Store.GetConfigAsync("wh-1", None), again);
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Not.Null, "nor the new config's messages");

        var current = (await Store.GetConfigAsync("wh-1", None))!;
        await Store.UpdateConfigAsync(current with { Name = "renamed" }, current.Generation, None);
        Assert.That(async () => await Store.DeleteConfigAsync(current, None), Throws.InstanceOf<WebhookConcurrencyException>(), "a stale generation");

        var renamed = (await Store.GetConfigAsync("wh-1", None))!;
        Assert.That(await Store.DeleteConfigAsync(renamed, None), Is.True);
        Assert.That(await Store.GetConfigAsync("wh-1", None), Is.Null);
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Null);
        Assert.That(await Store.DeleteConfigAsync(renamed, None), Is.False, "a second delete");
    }

    /// <summary>Deleting a config removes its messages and attempts, whether due, leased or held, and leaves other webhooks' messages.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task DeleteConfigAsync_WithMessages_RemovesMessagesAndAttempts()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("m-1", "wh-1"), NewMessage("m-2", "wh-1", dueAt: 5), NewMessage("m-3", "wh-1") with { NextAttemptAt = null });
        var attempted = await ClaimOneAsync(0);
        await CompleteAsync(Attempted(attempted, at: 1, statusCode: 500, retryAt: 10));
        await EnqueueAsync(NewMessage("m-4", "wh-2", dueAt: 10));
        var leased = await ClaimOneAsync(5);

        await Store.DeleteConfigAsync("wh-1", None);

        foreach (var id in new[] { "m-1", "m-2", "m-3" })
        {
            Assert.That(await Store.GetMessageAsync(id, None), Is.Null, id);
            Assert.That(await Store.GetAttemptsAsync(id, None), Is.Empty, id);
        }

        Assert.That((await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" }, None)).Total, Is.Zero);
        Assert.That(await CompleteAsync(Attempted(leased, at: 6, statusCode: 200)), Is.Zero, "completion of a deleted message");
        Assert.That(await Store.ResumeHeldAsync("wh-1", At(20), None), Is.Zero, "held messages of the deleted webhook");
        Assert.That(Ids(await ClaimAsync(1000)), Is.EqualTo(new[] { "m-4" }));
    }

    /// <summary>The tenant's configs for routing are all of its configs, in every state and status, and no other tenant's.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task GetTenantConfigsAsync_Tenant_ReturnsItsConfigsInEveryState()
    {
        await AddConfigsAsync(
            NewConfig("wh-1", "tenant-a"),
            NewConfig("wh-2", "tenant-a") with { Status = WebhookStatus.Pending },
            NewConfig("wh-3", "tenant-a") with { State = WebhookState.Disabled, Status = WebhookStatus.Disabled },
            NewConfig("wh-4", "tenant-a") with { State = WebhookState.Disabled, Status = WebhookStatus.Error },
            NewConfig("wh-5", "tenant-b"),
            NewConfig("wh-6"));

        Assert.That(Ids(await Store.GetTenantConfigsAsync("tenant-a", None)), Is.EquivalentTo(new[] { "wh-1", "wh-2", "wh-3", "wh-4" }));
        Assert.That(Ids(await Store.GetTenantConfigsAsync("tenant-b", None)), Is.EquivalentTo(new[] { "wh-5" }));
        Assert.That(Ids(await Store.GetTenantConfigsAsync(null, None)), Is.EquivalentTo(new[] { "wh-6" }), "the default tenant");
    }

    /// <summary>The tenant's configs follow additions, updates and deletions at once.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task GetTenantConfigsAsync_AfterChanges_ReflectsThem()
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"), NewConfig("wh-2", "tenant-a"));
        Assert.That(await Store.GetTenantConfigsAsync("tenant-a", None), Has.Count.EqualTo(2));

        await Store.UpdateConfigAsync(NewConfig("wh-1", "tenant-a") with { Url = "https://receiver.example/moved" }, 1, None);
        await Store.DeleteConfigAsync("wh-2", None);
        await AddConfigsAsync(NewConfig("wh-3", "tenant-a"));

        var configs = await Store.GetTenantConfigsAsync("tenant-a", None);
        Assert.That(Ids(configs), Is.EquivalentTo(new[] { "wh-1", "wh-3" }));
        var moved = configs.Single(config => config.Id == "wh-1");
        Assert.That((moved.Url, moved.Generation), Is.EqualTo(("https://receiver.example/moved", 2L)));
    }

    /// <summary>A tenant without configs has an empty list.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task GetTenantConfigsAsync_UnknownTenant_ReturnsEmpty()
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"));

        Assert.That(await Store.GetTenantConfigsAsync("tenant-b", None), Is.Empty);
        Assert.That(await Store.GetTenantConfigsAsync(null, None), Is.Empty);
    }
}
