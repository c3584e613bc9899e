using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>The whole engine on PostgreSQL: two host instances share one schema and deliver to a real receiver.</summary>
public sealed class PostgreSqlEngineTests : PostgreSqlHostTestBase
{
    [Test]
    public async Task TwoInstances_EventsPublishedOnOne_EachDeliveredOnce()
    {
        var a = await StartHostAsync();
        var b = await StartHostAsync();
        await a.Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(
            new WebhookDefinition { Name = "orders", Url = Receiver.UrlFor("/orders"), EventTypes = ["order.*"] });

        var publisher = a.Services.GetRequiredService<IWebhookPublisher>();
        for (var i = 0; i < 200; i++)
        {
            await publisher.PublishAsync(WebhookEvent.FromJson($"evt-{i}", "order.created", $$"""{"n":{{i}}}"""));
        }

        var requests = await Receiver.WaitForRequestsAsync(200, TimeSpan.FromSeconds(30));
        Assert.That(requests.Select(r => r.Headers["webhook-id"]).Distinct().Count(), Is.EqualTo(200));
        Assert.That(b.Services.GetRequiredService<IWebhookStore>(), Is.TypeOf<PostgreSqlWebhookStore>());
    }

    [Test]
    public async Task TwoInstances_EnableRateLimit_CountsTheEnablesOfBoth()
    {
        var endpoints = new[] { await StartHostAsync(), await StartHostAsync() }
            .Select(h => h.Services.GetRequiredService<IWebhookEndpoints>())
            .ToArray();
        var webhook = (await endpoints[0].CreateAsync(new WebhookDefinition { Name = "orders", Url = Receiver.UrlFor("/orders"), EventTypes = ["order.*"] })).Webhook;

        // Each instance reads the webhook from its own cache: the enables of the other reach it through the database.
        for (var i = 0; i < 5; i++)
        {
            await endpoints[i % 2].UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
            await endpoints[(i + 1) % 2].UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        }

        await endpoints[0].UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        Assert.Multiple(async () =>
        {
            Assert.ThrowsAsync<WebhookRateLimitedException>(() => endpoints[1].UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled }));
            Assert.ThrowsAsync<WebhookRateLimitedException>(() => endpoints[0].UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled }));
            var stored = await endpoints[0].GetAsync(webhook.Id);
            Assert.That(stored!.EnabledAt, Has.Count.EqualTo(5));
            Assert.That(stored.State, Is.EqualTo(WebhookState.Disabled));
        });
    }

    [Test]
    public async Task Outbox_CommittedEventDeliveredRolledBackEventNot()
    {
        var outbox = await StartHostWithOrdersWebhookAsync();

        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await using (var rolledBack = await connection.BeginTransactionAsync())
            {
                await outbox.PublishAsync(WebhookEvent.FromJson("evt-rolled-back", "order.created", "{}"), connection, rolledBack);
                await rolledBack.RollbackAsync();
            }

            await using var committed = await connection.BeginTransactionAsync();
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-committed", "order.created", """{"id":1}"""), connection, committed);
            await committed.CommitAsync();
        }

        var request = (await Receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30))).Single();
        Assert.That(request.BodyText, Does.Contain("\"type\":\"order.created\"").And.Contain("{\"id\":1}"));
        await WaitUntilAsync(
            async () => await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox") == 0, "the outbox is empty");
        Assert.That(Receiver.Requests, Has.Count.EqualTo(1), "the rolled-back event was never delivered");
    }

    [Test]
    public async Task Outbox_InvalidEventsAheadOfAValidOne_DroppedAndTheValidOneDelivered()
    {
        var outbox = await StartHostWithOrdersWebhookAsync();

        // Rows the publisher refuses (no type; data that is not JSON), written directly as an older version could have.
        await PostgreSqlTestDatabase.ExecuteAsync($$"""
            INSERT INTO "{{Schema}}".outbox (event_id, event_type, tenant_id, occurred_at, data, targeted, target_webhook_id) VALUES
                ('evt-no-type', '', NULL, now(), convert_to('{}', 'UTF8'), false, NULL),
                ('evt-not-json', 'order.created', NULL, now(), convert_to('not json', 'UTF8'), false, NULL)
            """);
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-good", "order.created", """{"id":1}"""), connection, null);
        }

        var request = (await Receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30))).Single();
        Assert.That(request.BodyText, Does.Contain("{\"id\":1}"));
        await WaitUntilAsync(
            async () => await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox") == 0, "the outbox is empty");
        Assert.That(Receiver.Requests, Has.Count.EqualTo(1), "the refused events were not delivered");
    }

    /// <summary>Starts a host with a webhook for <c>order.*</c> events on the receiver, and returns its outbox.</summary>
    private async Task<PostgreSqlWebhookOutbox> StartHostWithOrdersWebhookAsync()
    {
        var host = await StartHostAsync();
        await host.Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(
            new WebhookDefinition { Name = "orders", Url = Receiver.UrlFor("/orders"), EventTypes = ["order.*"] });
        return host.Services.GetRequiredService<PostgreSqlWebhookOutbox>();
    }
}
