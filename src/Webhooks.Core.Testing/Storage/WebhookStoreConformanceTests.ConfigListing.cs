using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Listing configs: tenant isolation, filters, ordering and paging.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>A listing shows the queried tenant's configs only; <see langword="null"/> is the default tenant.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_SeveralTenants_ListsOnlyTheQueriedTenant()
    {
        await AddConfigsAsync(NewConfig("wh-1", "tenant-a"), NewConfig("wh-2", "tenant-b"), NewConfig("wh-3", "tenant-a"), NewConfig("wh-4"));

        Assert.That(Ids((await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a" })).Items), Is.EquivalentTo(new[] { "wh-1", "wh-3" }));
        Assert.That(Ids((await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-b" })).Items), Is.EqualTo(new[] { "wh-2" }));
        Assert.That(Ids((await ListConfigsAsync(new WebhookConfigQuery())).Items), Is.EqualTo(new[] { "wh-4" }));
        Assert.That((await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-c" })).Total, Is.Zero);
    }

    /// <summary>A listing is newest first, and configs created at the same time come by id.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_NoFilter_NewestFirstThenById()
    {
        await AddConfigsAsync(
            NewConfig("wh-1", createdAt: 10),
            NewConfig("wh-4", createdAt: 30),
            NewConfig("wh-2", createdAt: 20),
            NewConfig("wh-3", createdAt: 30));

        var page = await ListConfigsAsync(new WebhookConfigQuery());

        Assert.That(Ids(page.Items), Is.EqualTo(new[] { "wh-3", "wh-4", "wh-2", "wh-1" }));
        Assert.That((page.Total, page.Offset, page.Limit), Is.EqualTo((4, 0, 50)));
    }

    /// <summary>A state filter lists only configs in that state.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_StateFilter_ListsOnlyThatState()
    {
        await AddConfigsAsync(
            NewConfig("wh-1", createdAt: 1),
            NewConfig("wh-2", createdAt: 2) with { State = WebhookState.Disabled, Status = WebhookStatus.Error },
            NewConfig("wh-3", createdAt: 3) with { Status = WebhookStatus.Pending });

        var enabled = await ListConfigsAsync(new WebhookConfigQuery { State = WebhookState.Enabled });

        Assert.That((Ids(enabled.Items), enabled.Total), Is.EqualTo((new[] { "wh-3", "wh-1" }, 2)));
    }

    /// <summary>A status filter lists only configs with that status.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_StatusFilter_ListsOnlyThatStatus()
    {
        await AddConfigsAsync(
            NewConfig("wh-1", createdAt: 1) with { Status = WebhookStatus.Warning },
            NewConfig("wh-2", createdAt: 2),
            NewConfig("wh-3", createdAt: 3) with { Status = WebhookStatus.Warning });

        var warning = await ListConfigsAsync(new WebhookConfigQuery { Status = WebhookStatus.Warning });

        Assert.That((Ids(warning.Items), warning.Total), Is.EqualTo((new[] { "wh-3", "wh-1" }, 2)));
    }

    /// <summary>
    /// Configs the user disabled are hidden unless the query includes them, while configs the system disabled are
    /// listed; state or status filters that ask for disabled configs list them too.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_UserDisabled_HiddenUnlessAsked()
    {
        await AddConfigsAsync(
            NewConfig("wh-active", createdAt: 3),
            NewConfig("wh-user-off", createdAt: 2) with { State = WebhookState.Disabled, Status = WebhookStatus.Disabled },
            NewConfig("wh-system-off", createdAt: 1) with { State = WebhookState.Disabled, Status = WebhookStatus.Error });

        var byDefault = await ListConfigsAsync(new WebhookConfigQuery());
        var included = await ListConfigsAsync(new WebhookConfigQuery { IncludeUserDisabled = true });
        var disabledState = await ListConfigsAsync(new WebhookConfigQuery { State = WebhookState.Disabled });
        var disabledStatus = await ListConfigsAsync(new WebhookConfigQuery { Status = WebhookStatus.Disabled });

        Assert.Multiple(() =>
        {
            Assert.That((Ids(byDefault.Items), byDefault.Total), Is.EqualTo((new[] { "wh-active", "wh-system-off" }, 2)), "default");
            Assert.That(Ids(included.Items), Is.EqualTo(new[] { "wh-active", "wh-user-off", "wh-system-off" }), "included");
            Assert.That(Ids(disabledState.Items), Is.EqualTo(new[] { "wh-user-off", "wh-system-off" }), "state Disabled");
            Assert.That(Ids(disabledStatus.Items), Is.EqualTo(new[] { "wh-user-off" }), "status Disabled");
        });
    }

    /// <summary>A creation range includes its start and excludes its end.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_CreatedRange_FromInclusiveToExclusive()
    {
        await AddConfigsAsync(NewConfig("wh-1", createdAt: 10), NewConfig("wh-2", createdAt: 20), NewConfig("wh-3", createdAt: 30), NewConfig("wh-4", createdAt: 40));

        var page = await ListConfigsAsync(new WebhookConfigQuery { CreatedFrom = At(20), CreatedTo = At(40) });

        Assert.That((Ids(page.Items), page.Total), Is.EqualTo((new[] { "wh-3", "wh-2" }, 2)));
    }

    /// <summary>A page holds the requested slice of the matching configs, and the total counts them all.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_Paging_ReturnsThePageAndTheTotal()
    {
        await AddConfigsAsync([.. Enumerable.Range(1, 5).Select(i => NewConfig($"wh-{i}", "tenant-a", createdAt: i))]);

        var page = await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", Offset = 1, Limit = 2 });
        var last = await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", Offset = 4, Limit = 2 });
        var beyond = await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", Offset = 5, Limit = 2 });

        Assert.That((Ids(page.Items), page.Total, page.Offset, page.Limit), Is.EqualTo((new[] { "wh-4", "wh-3" }, 5, 1, 2)));
        Assert.That((Ids(last.Items), last.Total), Is.EqualTo((new[] { "wh-1" }, 5)));
        Assert.That((beyond.Items.Count, beyond.Total), Is.EqualTo((0, 5)));
    }

    /// <summary>
    /// The position of a page's last config gives the next page: configs created meanwhile neither repeat it nor push
    /// configs off it, as they do with an offset, and the total counts what comes after the position.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_AfterTheLastOfAPage_ListsTheNextOneWhateverWasCreatedMeanwhile()
    {
        await AddConfigsAsync([.. Enumerable.Range(1, 5).Select(i => NewConfig($"wh-{i}", "tenant-a", createdAt: i))]);
        var first = await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", Limit = 2 });

        await AddConfigsAsync(NewConfig("wh-6", "tenant-a", createdAt: 6), NewConfig("wh-7", "tenant-a", createdAt: 7));
        var next = await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", Limit = 2, After = WebhookListPosition.Of(first.Items[^1]) });
        var last = await ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-a", Limit = 2, After = WebhookListPosition.Of(next.Items[^1]) });

        Assert.That(Ids(first.Items), Is.EqualTo(new[] { "wh-5", "wh-4" }));
        Assert.That((Ids(next.Items), next.Total), Is.EqualTo((new[] { "wh-3", "wh-2" }, 3)));
        Assert.That((Ids(last.Items), last.Total), Is.EqualTo((new[] { "wh-1" }, 1)));
    }

    /// <summary>
    /// Among configs created at the same time the list runs by id, compared ordinally, and a position continues there:
    /// also the position of a config not stored (deleted, or never there, even with an id that no stored config could
    /// have), and with an offset.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_AfterAPositionAmongConfigsOfOneTime_ContinuesById()
    {
        await AddConfigsAsync(
            NewConfig("wh-a", createdAt: 5),
            NewConfig("wh-B", createdAt: 5),
            NewConfig("wh-c", createdAt: 5),
            NewConfig("wh-_", createdAt: 5),
            NewConfig("wh-old", createdAt: 4),
            NewConfig("wh-new", createdAt: 6));

        var all = await ListConfigsAsync(new WebhookConfigQuery());
        var afterB = await ListConfigsAsync(new WebhookConfigQuery { After = new WebhookListPosition(At(5), "wh-B") });
        var afterMissing = await ListConfigsAsync(new WebhookConfigQuery { After = new WebhookListPosition(At(5), "wh-b") });
        var afterAnIdNoneStoredCouldHave = await ListConfigsAsync(new WebhookConfigQuery { After = new WebhookListPosition(At(5), "wh-_\0") });
        var afterWithOffset = await ListConfigsAsync(new WebhookConfigQuery { After = new WebhookListPosition(At(5), "wh-B"), Offset = 2, Limit = 1 });
        var afterTheLast = await ListConfigsAsync(new WebhookConfigQuery { After = new WebhookListPosition(At(4), "wh-old") });

        Assert.That(Ids(all.Items), Is.EqualTo(new[] { "wh-new", "wh-B", "wh-_", "wh-a", "wh-c", "wh-old" }));
        Assert.That((Ids(afterB.Items), afterB.Total), Is.EqualTo((new[] { "wh-_", "wh-a", "wh-c", "wh-old" }, 4)));
        Assert.That(Ids(afterMissing.Items), Is.EqualTo(new[] { "wh-c", "wh-old" }));
        Assert.That(Ids(afterAnIdNoneStoredCouldHave.Items), Is.EqualTo(new[] { "wh-a", "wh-c", "wh-old" }), "after an id with U+0000");
        Assert.That((Ids(afterWithOffset.Items), afterWithOffset.Total), Is.EqualTo((new[] { "wh-c" }, 4)));
        Assert.That((afterTheLast.Items.Count, afterTheLast.Total), Is.EqualTo((0, 0)));
    }

    /// <summary>
    /// A position whose id has a surrogate without its pair (a custom id; only some stores can hold one) lists the ids
    /// above it: those from U+E000 at that place, not those below U+D800.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_AfterAnIdWithALoneSurrogate_ListsTheIdsAboveIt()
    {
        await AddConfigsAsync([.. new[] { "wh-a", "wh-\uD7FF", "wh-\uE000", "wh-\uFFFD" }.Select(id => NewConfig(id, createdAt: 5))]);

        var after = await ListConfigsAsync(new WebhookConfigQuery { After = new WebhookListPosition(At(5), "wh-\uDC00") });

        Assert.That(Ids(after.Items), Is.EqualTo(new[] { "wh-\uE000", "wh-\uFFFD" }));
    }

    /// <summary>
    /// The position of a config as it was added, its time finer than the store keeps times (PostgreSQL keeps
    /// microseconds), lists what follows the config in the listing, before 2000 as after.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_AfterAConfigAsAdded_ListsWhatFollowsItInTheListing()
    {
        (string Tenant, DateTimeOffset Time)[] lists = [("tenant-a", At(5)), ("tenant-b", new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero))];
        foreach (var (tenant, time) in lists)
        {
            WebhookConfig[] configs = [.. new[] { ("wh-x", 15), ("wh-c", 10), ("wh-a", 7), ("wh-b", 3) }
                .Select(c => NewConfig($"{c.Item1}-{tenant}", tenant) with { CreatedAt = time.AddTicks(c.Item2) })];
            await AddConfigsAsync(configs);
            var listed = Ids((await ListConfigsAsync(new WebhookConfigQuery { TenantId = tenant })).Items).ToList();

            foreach (var config in configs)
            {
                var after = await ListConfigsAsync(new WebhookConfigQuery { TenantId = tenant, After = WebhookListPosition.Of(config) });
                Assert.That(Ids(after.Items), Is.EqualTo(listed.Skip(listed.IndexOf(config.Id) + 1)), $"after {config.Id} at {time:O}, listed {string.Join(", ", listed)}");
            }
        }
    }

    /// <summary>For a range of queries, the listing is exactly the configs <see cref="WebhookConfigQuery.Matches"/> accepts, ordered and paged.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_VariousQueries_AgreesWithQueryMatches()
    {
        var states = new[] { WebhookState.Enabled, WebhookState.Disabled };
        var statuses = Enum.GetValues<WebhookStatus>();
        var configs = Enumerable.Range(0, 30).Select(i => NewConfig($"wh-{i:D2}", i % 3 == 0 ? null : $"tenant-{i % 3}", createdAt: i * 7 % 11) with
        {
            State = states[i % 2],
            Status = statuses[i % statuses.Length],
        }).ToArray();
        await AddConfigsAsync(configs);
        WebhookConfigQuery[] queries =
        [
            new() { TenantId = "tenant-1" },
            new() { TenantId = "tenant-2", IncludeUserDisabled = true },
            new() { State = WebhookState.Disabled },
            new() { TenantId = "tenant-1", Status = WebhookStatus.Active, IncludeUserDisabled = true },
            new() { TenantId = "tenant-2", CreatedFrom = At(3), CreatedTo = At(8) },
            new() { TenantId = "tenant-1", Offset = 2, Limit = 3 },
            new() { TenantId = "tenant-2", State = WebhookState.Enabled, Offset = 1, Limit = 1 },
            new() { TenantId = "tenant-1", Offset = 0, Limit = 0 },
            new() { TenantId = "tenant-1", After = new WebhookListPosition(At(5), "wh-10") },
            new() { TenantId = "tenant-2", IncludeUserDisabled = true, After = new WebhookListPosition(At(7), "wh-00"), Offset = 1, Limit = 2 },
        ];

        foreach (var query in queries)
        {
            var matching = configs.Where(query.Matches).OrderByDescending(config => config.CreatedAt).ThenBy(config => config.Id, StringComparer.Ordinal).ToArray();
            var page = await ListConfigsAsync(query);
            Assert.That(
                (Ids(page.Items), page.Total),
                Is.EqualTo((Ids(matching.Skip(query.Offset).Take(query.Limit)), matching.Length)),
                query.ToString());
        }
    }

    private async Task<WebhookPage<WebhookConfig>> ListConfigsAsync(WebhookConfigQuery query) =>
        await Store.ListConfigsAsync(query, None);
}
