using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// The rules that span a tenant's webhooks (a limit on how many, one default) under changes made at the same time: in
/// one process, and in two processes sharing a store (two hosts on one store instance here).
/// </summary>
[TestFixture]
public sealed class TenantRuleTests
{
    [Test]
    public async Task ConcurrentCreates_InOneProcess_StopAtTheTenantLimit()
    {
        await using var host = await EngineHost.StartAsync(o => o.MaxWebhooksPerTenant = 2);

        var creates = Enumerable.Range(0, 6).Select(i => Task.Run(() => host.CreateAsync($"/w{i}"))).ToArray();
        var outcomes = await Task.WhenAll(creates.Select(Outcome));
        var stored = await host.Endpoints.ListAsync(new WebhookConfigQuery { IncludeUserDisabled = true });

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Count(static created => created), Is.EqualTo(2));
            Assert.That(stored.Total, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task ConcurrentDefaultClaims_InOneProcess_LeaveOneDefault()
    {
        await using var host = await EngineHost.StartAsync();
        var webhooks = new List<WebhookConfig>();
        for (var i = 0; i < 4; i++)
        {
            webhooks.Add((await host.CreateAsync($"/w{i}")).Webhook);
        }

        var claims = await Task.WhenAll(webhooks.Select(w => Task.Run(() => host.Endpoints.UpdateAsync(w.Id, new WebhookUpdate { IsDefault = true }))));
        var defaults = (await host.Endpoints.ListAsync(new WebhookConfigQuery { IncludeUserDisabled = true })).Items.Where(static w => w.IsDefault).ToList();

        // Each claim answered as the default it was when it finished; the later ones cleared it again.
        Assert.That(defaults, Has.Count.EqualTo(1));
        Assert.That(claims.All(static c => c.IsDefault), Is.True);
    }

    [Test]
    public async Task SequentialDefaultClaims_OnAClockThatStandsStill_TheLatestWins()
    {
        await using var host = await EngineHost.StartAsync();
        var first = (await host.CreateAsync("/first", d => d with { IsDefault = true })).Webhook;
        var second = (await host.CreateAsync("/second", d => d with { IsDefault = true })).Webhook;
        var third = (await host.CreateAsync("/third")).Webhook;

        await host.Endpoints.UpdateAsync(third.Id, new WebhookUpdate { IsDefault = true });
        await host.Endpoints.UpdateAsync(first.Id, new WebhookUpdate { IsDefault = true });

        var defaults = (await host.Endpoints.ListAsync(new WebhookConfigQuery())).Items.Where(static w => w.IsDefault).Select(static w => w.Id);
        Assert.That(defaults, Is.EqualTo(new[] { first.Id }), $"not {second.Id} or {third.Id}");
    }

    [Test]
    public async Task DefaultClaim_WhileTheOldDefaultChanges_StillWins()
    {
        IWebhookEndpoints? endpoints = null;
        EngineHost? host = null;
        string? oldDefault = null;
        var claiming = 0;
        var reads = 0;
        var store = InterceptedStore.Create(new InMemoryWebhookStore(), (method, _) =>
        {
            // The claim's second read of the tenant (settling it, after the claim is stored): the old default is renamed
            // just before it, later by the clock, as another request would.
            if (method == nameof(IWebhookStore.ListConfigsAsync) && Volatile.Read(ref claiming) == 1 && Interlocked.Increment(ref reads) == 2)
            {
                host!.Time.Advance(TimeSpan.FromSeconds(1));
                endpoints!.UpdateAsync(oldDefault!, new WebhookUpdate { Name = "renamed" }).GetAwaiter().GetResult();
            }
        });
        await using (host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store))))
        {
            endpoints = host.Endpoints;
            oldDefault = (await host.CreateAsync("/old", d => d with { IsDefault = true })).Webhook.Id;
            var claimer = (await host.CreateAsync("/new")).Webhook.Id;

            Volatile.Write(ref claiming, 1);
            var claimed = await host.Endpoints.UpdateAsync(claimer, new WebhookUpdate { IsDefault = true });
            Volatile.Write(ref claiming, 0);

            var defaults = (await host.Endpoints.ListAsync(new WebhookConfigQuery())).Items.Where(static w => w.IsDefault).Select(static w => w.Id);
            Assert.Multiple(async () =>
            {
                Assert.That(Volatile.Read(ref reads), Is.GreaterThanOrEqualTo(2), "the rename happened during the claim");
                Assert.That(claimed.IsDefault, Is.True);
                Assert.That(defaults, Is.EqualTo(new[] { claimer }));
                Assert.That((await host.Endpoints.GetAsync(oldDefault))!.Name, Is.EqualTo("renamed"));
            });
        }
    }

    // The claim reads the tenant's defaults and then clears the ones it does not keep, by id. Ids may be chosen: the old
    // default may be deleted and another tenant's default created with its id in between.
    [Test]
    public async Task DefaultClaim_WhenAnotherTenantTakesTheOldDefaultsId_LeavesTheirDefault()
    {
        var inner = new InMemoryWebhookStore();
        var armed = 0;
        WebhookConfig? theirs = null;
        var store = InterceptedStore.Create(
            inner,
            (method, args) =>
            {
                if (method == nameof(IWebhookStore.GetConfigAsync) && (string)args[0]! == "old" && Interlocked.Exchange(ref armed, 0) == 1)
                {
                    var ours = inner.GetConfigAsync("old", CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
                    inner.DeleteConfigAsync("old", CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    theirs = ours with { TenantId = "tenant-b", CreatedAt = ours.CreatedAt.AddSeconds(1), Generation = 1 };
                    inner.AddConfigAsync(theirs, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }
            },
            (method, _, _) =>
            {
                // Once the claim is stored, the next read of the old default (clearing it) finds tenant B's.
                if (method == nameof(IWebhookStore.UpdateConfigAsync) && Volatile.Read(ref armed) == -1)
                {
                    Volatile.Write(ref armed, 1);
                }
            });
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store)));
        await host.CreateAsync("/old", d => d with { Id = "old", TenantId = "tenant-a", IsDefault = true, VerificationMode = VerificationMode.None });
        await host.CreateAsync("/new", d => d with { Id = "new", TenantId = "tenant-a", VerificationMode = VerificationMode.None });

        Volatile.Write(ref armed, -1);
        var claimed = await host.Endpoints.UpdateAsync("new", new WebhookUpdate { IsDefault = true });

        var stored = await host.Endpoints.GetAsync("old");
        Assert.Multiple(() =>
        {
            Assert.That(theirs, Is.Not.Null, "tenant B created its default during the claim");
            Assert.That(claimed.IsDefault, Is.True);
            Assert.That((stored?.TenantId, stored?.IsDefault), Is.EqualTo(("tenant-b", true)), "tenant B's default is left as it is");
        });
    }

    // A create that finds the tenant over its limit once its webhook is added takes it back, by id. Ids may be chosen: it
    // may have been deleted and another tenant's created with its id in between.
    [Test]
    public async Task CreateTakenBack_AfterAnotherTenantTookItsId_LeavesTheirWebhook()
    {
        var inner = new InMemoryWebhookStore();
        var lists = 0;
        WebhookConfig? theirs = null;
        var store = InterceptedStore.Create(inner, (method, _) =>
        {
            // The count after the add: two more of tenant A's were added meanwhile (another process), and A's new webhook
            // was deleted and tenant B's created with its id.
            if (method == nameof(IWebhookStore.ListConfigsAsync) && Interlocked.Increment(ref lists) == 2)
            {
                var ours = inner.GetConfigAsync("wh_shared", CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
                foreach (var id in new[] { "wh_other1", "wh_other2" })
                {
                    inner.AddConfigAsync(ours with { Id = id }, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }

                inner.DeleteConfigAsync("wh_shared", CancellationToken.None).AsTask().GetAwaiter().GetResult();
                theirs = ours with { TenantId = "tenant-b", CreatedAt = ours.CreatedAt.AddSeconds(1) };
                inner.AddConfigAsync(theirs, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        });
        await using var host = await EngineHost.StartAsync(o => o.MaxWebhooksPerTenant = 1, s => s.Replace(ServiceDescriptor.Singleton(store)));

        Assert.That(
            () => host.CreateAsync("/a", d => d with { Id = "wh_shared", TenantId = "tenant-a", VerificationMode = VerificationMode.None }),
            Throws.TypeOf<WebhookValidationException>());

        Assert.That(theirs, Is.Not.Null, "tenant B created its webhook during the create");
        Assert.That((await host.Endpoints.GetAsync("wh_shared"))?.TenantId, Is.EqualTo("tenant-b"), "tenant B's webhook is left");
    }

    [Test]
    public async Task CreatesAtOnce_InTwoProcesses_NeverPassTheTenantLimit()
    {
        var shared = new SharedStore();
        await using var one = await EngineHost.StartAsync(o => o.MaxWebhooksPerTenant = 1, shared.Use);
        await using var two = await EngineHost.StartAsync(o => o.MaxWebhooksPerTenant = 1, shared.Use);

        // Both counted the tenant's webhooks before either added its own, and both added before either counted again.
        shared.Arm();
        var outcomes = await Task.WhenAll(Outcome(Task.Run(() => one.CreateAsync("/one"))), Outcome(Task.Run(() => two.CreateAsync("/two"))));
        var stored = await one.Endpoints.ListAsync(new WebhookConfigQuery { IncludeUserDisabled = true });

        Assert.Multiple(() =>
        {
            Assert.That(stored.Total, Is.LessThanOrEqualTo(1));
            Assert.That(outcomes.Count(static created => created), Is.EqualTo(stored.Total), "every create that answered is stored, and only those");
        });
    }

    [Test]
    public async Task DefaultClaimsAtOnce_InTwoProcesses_LeaveExactlyOneDefault()
    {
        var shared = new SharedStore();
        await using var one = await EngineHost.StartAsync(services: shared.Use);
        await using var two = await EngineHost.StartAsync(services: shared.Use);

        shared.Arm();
        var created = await Task.WhenAll(
            Task.Run(() => one.CreateAsync("/one", d => d with { IsDefault = true })),
            Task.Run(() => two.CreateAsync("/two", d => d with { IsDefault = true })));
        var defaults = (await one.Endpoints.ListAsync(new WebhookConfigQuery())).Items.Where(static w => w.IsDefault).ToList();

        Assert.That(defaults, Has.Count.EqualTo(1));
        Assert.That(created.Count(static c => c.Webhook.IsDefault), Is.EqualTo(1), "one create answers that it is the default");
    }

    private static async Task<bool> Outcome(Task<WebhookWithSecret> create)
    {
        try
        {
            await create;
            return true;
        }
        catch (WebhookValidationException ex) when (ex.Problems.Any(static p => p.Field == "tenantId"))
        {
            return false;
        }
    }

    /// <summary>One in-memory store for two hosts, which can hold two creates at the same steps until both reach them.</summary>
    private sealed class SharedStore
    {
        private readonly IWebhookStore _store;
        private readonly Barrier _beforeAdd = new(2);
        private readonly Barrier _afterAdd = new(2);
        private int _armed;
        private int _added;
        private int _listedAfterAdd;

        public SharedStore() => _store = InterceptedStore.Create(new InMemoryWebhookStore(), Before);

        public void Use(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton(_store));

        public void Arm() => Volatile.Write(ref _armed, 1);

        private void Before(string method, object?[] args)
        {
            if (Volatile.Read(ref _armed) == 0)
            {
                return;
            }

            if (method == nameof(IWebhookStore.AddConfigAsync))
            {
                Interlocked.Increment(ref _added);
                Assert.That(_beforeAdd.SignalAndWait(TimeSpan.FromSeconds(10)), Is.True, "both creates reach their add");
            }
            else if (method == nameof(IWebhookStore.ListConfigsAsync) && Volatile.Read(ref _added) == 2 && Interlocked.Increment(ref _listedAfterAdd) <= 2)
            {
                // Each create's first read after its add: the other's add is stored by the time both are here.
                Assert.That(_afterAdd.SignalAndWait(TimeSpan.FromSeconds(10)), Is.True, "both creates read again after adding");
            }
        }
    }
}
