using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class WebhookEndpointsListTests
{
    private static readonly WebhookConfig Newest = new()
    {
        Id = "wh_2",
        Url = "https://example.com/hook",
        EventTypes = ["order.*"],
        CreatedAt = EngineHost.Start,
        UpdatedAt = EngineHost.Start,
    };

    [Test]
    public async Task ListAsync_AfterAPosition_ThroughAStoreThatIgnoresIt_FailsRatherThanListingFromTheNewestAgain()
    {
        var store = Substitute.For<IWebhookStore>();
        store.ListConfigsAsync(Arg.Any<WebhookConfigQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<WebhookConfig>([Newest], 1, 0, 50));
        await using var services = Services(store);
        var endpoints = services.GetRequiredService<IWebhookEndpoints>();

        var firstPage = await endpoints.ListAsync(new WebhookConfigQuery());

        Assert.That(firstPage.Items, Is.EqualTo(new[] { Newest }));
        Assert.That(
            () => endpoints.ListAsync(new WebhookConfigQuery { After = WebhookListPosition.Of(Newest) }),
            Throws.InvalidOperationException.With.Message.Contains("does not implement positions in the list"));
    }

    // PostgreSQL's COLLATE "C" orders ids by code point: U+1F600 comes above U+FF3A there, below it ordinally (its
    // UTF-16 surrogates). Its page after "wh_\uFF3A" is right for its order.
    [Test]
    public async Task ListAsync_AfterAPosition_StoreOrdersTiesByCodePoint_ReturnsItsPage()
    {
        var tie = Newest with { Id = "wh_\U0001F600" };
        var older = Newest with { Id = "wh_1", CreatedAt = EngineHost.Start.AddTicks(-10) };
        var store = Substitute.For<IWebhookStore>();
        store.ListConfigsAsync(Arg.Any<WebhookConfigQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<WebhookConfig>([tie, older], 2, 0, 50));
        await using var services = Services(store);

        var page = await services.GetRequiredService<IWebhookEndpoints>().ListAsync(new WebhookConfigQuery { After = new WebhookListPosition(EngineHost.Start, "wh_\uFF3A") });

        Assert.That(page.Items, Is.EqualTo(new[] { tie, older }));
    }

    private static ServiceProvider Services(IWebhookStore store)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(store);
        services.AddWebhooks();
        return services.BuildServiceProvider();
    }
}
