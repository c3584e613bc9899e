using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// One tenant's view of the webhooks (<see cref="IWebhookEndpoints.ForTenant"/>), as the management API uses it for its
/// caller. Ids may be chosen, so tenant A's request may reach a webhook id after A's webhook was deleted and tenant B
/// created one with that id: the request read A's, and then changed, tested, rotated or deleted B's.
/// </summary>
[TestFixture]
public sealed class TenantViewTests
{
    private const string Id = "wh_shared";

    [Test]
    public async Task WebhookOfAnotherTenantUnderTheId_IsNotFoundThroughTheViewAndIsLeftAsItIs()
    {
        await using var host = await EngineHost.StartAsync();
        var ours = (await host.CreateAsync("/a", d => d with { Id = Id, TenantId = "tenant-a", VerificationMode = VerificationMode.None })).Webhook;
        var view = host.Endpoints.ForTenant("tenant-a");
        Assert.That((await view.GetAsync(Id))?.Url, Is.EqualTo(ours.Url), "the tenant's own webhook is read");

        await host.Endpoints.DeleteAsync(Id);
        var theirs = (await host.CreateAsync("/b", d => d with { Id = Id, TenantId = "tenant-b", VerificationMode = VerificationMode.None })).Webhook;

        Assert.Multiple(async () =>
        {
            Assert.That(await view.GetAsync(Id), Is.Null, "read");
            Assert.That(() => view.UpdateAsync(Id, new WebhookUpdate { Url = host.Receiver.UrlFor("/taken") }), Throws.TypeOf<WebhookNotFoundException>(), "updated");
            Assert.That(() => view.UpdateAsync(Id, new WebhookUpdate { Url = host.Receiver.UrlFor("/taken") }, expectedGeneration: theirs.Generation), Throws.TypeOf<WebhookNotFoundException>(), "updated at its generation");
            Assert.That(() => view.RotateSecretAsync(Id), Throws.TypeOf<WebhookNotFoundException>(), "rotated");
            Assert.That(() => view.TestAsync(Id), Throws.TypeOf<WebhookNotFoundException>(), "tested");
            Assert.That(await view.DeleteAsync(Id), Is.False, "deleted");
        });
        var stored = await host.Endpoints.GetAsync(Id);
        Assert.That(stored, Is.Not.Null, "still stored");
        Assert.That((stored!.TenantId, stored.Url, stored.Generation, stored.Secrets.Count), Is.EqualTo((theirs.TenantId, theirs.Url, theirs.Generation, 1)));
    }

    [Test]
    public async Task Delete_WhenAnotherTenantTakesTheIdBetweenTheReadAndTheDelete_LeavesTheirWebhook()
    {
        IWebhookEndpoints? endpoints = null;
        var inner = new InMemoryWebhookStore();
        var armed = 0;
        WebhookConfig? theirs = null;
        var store = InterceptedStore.Create(inner, (method, _) =>
        {
            // The view read tenant A's webhook at generation 1; before its delete at that generation reaches the store,
            // A's webhook is deleted and tenant B creates one with the id, which starts again at generation 1.
            if (method == nameof(IWebhookStore.DeleteConfigAsync) && Interlocked.Exchange(ref armed, 0) == 1)
            {
                inner.DeleteConfigAsync(Id, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                theirs = endpoints!.CreateAsync(new WebhookDefinition
                {
                    Id = Id, TenantId = "tenant-b", Name = "theirs", Url = "http://127.0.0.1:1/b", EventTypes = ["*"], VerificationMode = VerificationMode.None,
                }).GetAwaiter().GetResult().Webhook;
            }
        });
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store)));
        endpoints = host.Endpoints;
        await host.CreateAsync("/a", d => d with { Id = Id, TenantId = "tenant-a", VerificationMode = VerificationMode.None });

        Volatile.Write(ref armed, 1);
        var deleted = await host.Endpoints.ForTenant("tenant-a").DeleteAsync(Id);

        var stored = await host.Endpoints.GetAsync(Id);
        Assert.Multiple(() =>
        {
            Assert.That(theirs, Is.Not.Null, "tenant B created its webhook during the delete");
            Assert.That(deleted, Is.False, "tenant A's webhook was gone: nothing of A's was deleted");
            Assert.That(stored?.TenantId, Is.EqualTo("tenant-b"), "tenant B's webhook is still stored");
        });
    }

    [Test]
    public async Task OwnWebhook_IsChangedRotatedAndDeletedThroughTheView()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync("/a", d => d with { Id = Id, TenantId = "tenant-a", VerificationMode = VerificationMode.None });
        var view = host.Endpoints.ForTenant("tenant-a");

        var renamed = await view.UpdateAsync(Id, new WebhookUpdate { Name = "renamed" });
        var rotated = await view.RotateSecretAsync(Id, renamed.Generation);

        Assert.That(rotated.Webhook.Secrets, Has.Count.EqualTo(2));
        Assert.That(await view.DeleteAsync(Id), Is.True);
        Assert.That(await host.Endpoints.GetAsync(Id), Is.Null);
    }

    [Test]
    public async Task DefaultTenantView_DoesNotReachANamedTenantsWebhook()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync("/a", d => d with { Id = Id, TenantId = "tenant-a" });

        Assert.That(await host.Endpoints.ForTenant(null).GetAsync(Id), Is.Null);
        Assert.That(await host.Endpoints.ForTenant(null).DeleteAsync(Id), Is.False);
    }

    [Test]
    public async Task DefinitionOrQueryOfAnotherTenant_IsRefusedNamingBoth()
    {
        await using var host = await EngineHost.StartAsync();
        var view = host.Endpoints.ForTenant("tenant-a");

        Assert.That(
            () => view.CreateAsync(new WebhookDefinition { Name = "x", Url = host.Receiver.UrlFor("/x"), TenantId = "tenant-b" }),
            Throws.ArgumentException.With.Message.Contains("tenant 'tenant-b'").And.Message.Contains("tenant 'tenant-a'").And.Property("ParamName").EqualTo("definition.TenantId"));
        Assert.That(
            () => view.ListAsync(new WebhookConfigQuery()),
            Throws.ArgumentException.With.Message.Contains("the default tenant").And.Property("ParamName").EqualTo("query.TenantId"));
        Assert.That(await host.Endpoints.ListAsync(new WebhookConfigQuery { TenantId = "tenant-b", IncludeUserDisabled = true }), Has.Property("Total").EqualTo(0));
    }
}
