namespace Webhooks.Core.Tests.Engine;

/// <summary>Bad input on the management API: a clear error naming the field, and nothing stored or changed.</summary>
[TestFixture]
public sealed class BadInputTests
{
    [Test]
    public async Task Create_UndefinedState_IsRefusedNamingStateAndStoresNothing()
    {
        await using var host = await EngineHost.StartAsync();

        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.CreateAsync(change: d => d with { State = (WebhookState)9 }));

        Assert.That(error!.Problems.Select(p => p.Field), Is.EqualTo(new[] { "state" }));
        Assert.That((await host.Endpoints.ListAsync(new WebhookConfigQuery { IncludeUserDisabled = true })).Total, Is.Zero);
    }

    [Test]
    public async Task Update_UndefinedState_IsRefusedNamingStateAndChangesNothing()
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync()).Webhook;

        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Name = "renamed", State = (WebhookState)9 }));

        Assert.That(error!.Problems, Is.EqualTo(new[] { new ValidationProblem("state", "The state 9 is not one of Enabled, Disabled.") }));
        Assert.That(await host.Endpoints.GetAsync(webhook.Id), Is.EqualTo(webhook));
    }

    [TestCase("")]
    [TestCase("acme/orders")]
    public async Task Create_InvalidId_IsRefusedNamingIdAndStoresNothing(string id)
    {
        await using var host = await EngineHost.StartAsync();

        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.CreateAsync(change: d => d with { Id = id }));

        Assert.That(error!.Problems.Select(p => p.Field), Is.EqualTo(new[] { "id" }));
        Assert.That((await host.Endpoints.ListAsync(new WebhookConfigQuery { IncludeUserDisabled = true })).Total, Is.Zero);
    }

    [Test]
    public async Task Create_NullEventTypes_IsAValidationProblemNamingEventTypes()
    {
        await using var host = await EngineHost.StartAsync();

        var error = Assert.ThrowsAsync<WebhookValidationException>(() => host.CreateAsync(change: d => d with { EventTypes = null! }));

        Assert.That(error!.Problems.Select(p => p.Field), Is.EqualTo(new[] { "eventTypes" }));
    }

    [Test]
    public async Task ListMessages_QueryWithoutWebhookId_ThrowsNamingIt()
    {
        await using var host = await EngineHost.StartAsync();

        var error = Assert.ThrowsAsync<ArgumentNullException>(() => host.Log.ListAsync(new MessageQuery { WebhookId = null! }));

        Assert.That(error!.ParamName, Is.EqualTo("query.WebhookId"));
    }

    // The data was checked only as a matching webhook's payload was written: a host publishing broken JSON heard of it
    // only once someone subscribed, and a targeted event to a disabled webhook was taken whatever its data.
    [TestCase("{not json", "The event data is not valid JSON: ")]
    [TestCase("", "The event data is not valid JSON: it is empty (send null or {} for an event without data).")]
    public async Task Publish_DataThatIsNotJson_IsRejectedWhetherOrNotAWebhookMatches(string json, string expected)
    {
        await using var host = await EngineHost.StartAsync();
        var disabled = (await host.CreateAsync("/off", d => d with { TenantId = "acme", IsDefault = true, State = WebhookState.Disabled })).Webhook;

        var broadcast = Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync("evt_1", json: json, tenantId: "nobody"));
        var targeted = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishToAsync(disabled.Id, WebhookEvent.FromJson("evt_2", "t", json) with { TenantId = "acme" }));
        var toDefault = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishToAsync(null, WebhookEvent.FromJson("evt_3", "t", json) with { TenantId = "acme" }));

        Assert.That(
            new[] { broadcast, targeted, toDefault }.Select(e => (e!.ParamName, e.Message.StartsWith(expected, StringComparison.Ordinal))),
            Is.All.EqualTo(("webhookEvent", true)));
    }

    [Test]
    public async Task Publish_ValidDataThatNoWebhookMatches_StoresNothingAndSucceeds()
    {
        await using var host = await EngineHost.StartAsync();

        var result = await host.PublishAsync("evt_1", json: """{"total": 12}""", tenantId: "nobody");

        Assert.That((result.MessageIds.Count, result.Duplicates), Is.EqualTo((0, 0)));
    }

    // An undefined state or status matched no webhook or message: the caller saw an empty page, not its mistake.
    [Test]
    public async Task List_UndefinedStateOrStatus_ThrowsNamingItAndTheValues()
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync()).Webhook;

        var state = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Endpoints.ListAsync(new WebhookConfigQuery { State = (WebhookState)9 }));
        var status = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Endpoints.ListAsync(new WebhookConfigQuery { Status = (WebhookStatus)9 }));
        var messageStatus = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Log.ListAsync(new MessageQuery { WebhookId = webhook.Id, Status = (MessageStatus)9 }));

        Assert.Multiple(() =>
        {
            Assert.That((state!.ParamName, status!.ParamName, messageStatus!.ParamName), Is.EqualTo(("query.State", "query.Status", "query.Status")));
            Assert.That(state.Message, Does.StartWith("The state 9 is not one of Enabled, Disabled."));
            Assert.That(status.Message, Does.StartWith("The status 9 is not one of Pending, Active, Warning, Error, Disabled."));
            Assert.That(messageStatus.Message, Does.StartWith("The message status 9 is not one of Created, Retrying, Success, Failed, Cancelled."));
        });
    }
}
