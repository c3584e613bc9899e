using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class RoutingTests
{
    private const string Alert = """{"operation": "Created", "new": {"name": "prod-db-1", "state": "OK"}}""";

    [Test]
    public async Task Publish_BroadcastsOnlyToWebhooksWhoseTypesAndFilterMatch()
    {
        await using var host = await EngineHost.StartAsync();
        var alerts = (await host.CreateAsync("/alerts", d => d with { EventTypes = [], EventFilter = "type eq 'compute-ops/alert' and operation eq 'Created'" })).Webhook;
        var orders = (await host.CreateAsync("/orders", d => d with { EventTypes = ["order.*"] })).Webhook;
        var prod = (await host.CreateAsync("/prod", d => d with { EventTypes = ["compute-ops/alert"], EventFilter = "contains(new/name, 'prod')" })).Webhook;

        var alert = await host.PublishAsync("evt_alert", "compute-ops/alert", Alert);
        var order = await host.PublishAsync("evt_order", "order.created");
        var updated = await host.PublishAsync("evt_updated", "compute-ops/alert", """{"operation": "Updated", "new": {"name": "test-1"}}""");

        Assert.Multiple(async () =>
        {
            Assert.That(await WebhooksOf(host, alert), Is.EquivalentTo(new[] { alerts.Id, prod.Id }));
            Assert.That(await WebhooksOf(host, order), Is.EquivalentTo(new[] { orders.Id }));
            Assert.That(updated.MessageIds, Is.Empty);
        });
    }

    [Test]
    public async Task PublishTo_WithoutTarget_GoesToTheTenantsDefaultWebhook()
    {
        await using var host = await EngineHost.StartAsync();
        var other = (await host.CreateAsync("/other", d => d with { TenantId = "acme" })).Webhook;
        var fallback = (await host.CreateAsync("/default", d => d with { TenantId = "acme", IsDefault = true })).Webhook;
        var evt = WebhookEvent.FromJson("evt_t", "job.done", "{}") with { TenantId = "acme" };

        var toDefault = await host.Publisher.PublishToAsync(null, evt);
        var toOther = await host.Publisher.PublishToAsync(other.Id, evt with { Id = "evt_t2" });

        Assert.Multiple(async () =>
        {
            Assert.That(await WebhooksOf(host, toDefault), Is.EqualTo(new[] { fallback.Id }));
            Assert.That(await WebhooksOf(host, toOther), Is.EqualTo(new[] { other.Id }));
        });
        Assert.ThrowsAsync<WebhookNotFoundException>(async () => await host.Publisher.PublishToAsync(null, evt with { TenantId = "nobody" }));
        Assert.ThrowsAsync<WebhookNotFoundException>(async () => await host.Publisher.PublishToAsync(other.Id, evt with { TenantId = "someone-else" }));
    }

    // Two instances claiming the default at once both store their claim; the later claim stays the default once each
    // settles (WebhookConfig.DefaultClaimedAt). Events targeted at the default meanwhile go to that one too.
    [TestCase(false)]
    [TestCase(true)]
    public async Task PublishTo_WithoutTargetWhileTwoDefaultsAreStored_GoesToTheLaterClaim(bool laterClaimStoredFirst)
    {
        await using var host = await EngineHost.StartAsync();
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        WebhookConfig Default(string id, int claimedAfter) => new()
        {
            Id = id,
            TenantId = "acme",
            Url = host.Receiver.UrlFor("/" + id),
            EventTypes = ["*"],
            Status = WebhookStatus.Active,
            IsDefault = true,
            DefaultClaimedAt = EngineHost.Start.AddMilliseconds(claimedAfter),
        };
        var (first, second) = laterClaimStoredFirst ? (Default("wh_later", 2), Default("wh_earlier", 1)) : (Default("wh_earlier", 1), Default("wh_later", 2));
        await store.AddConfigAsync(first, CancellationToken.None);
        await store.AddConfigAsync(second, CancellationToken.None);

        var published = await host.Publisher.PublishToAsync(null, WebhookEvent.FromJson("evt_d", "job.done", "{}") with { TenantId = "acme" });

        Assert.That(await WebhooksOf(host, published), Is.EqualTo(new[] { "wh_later" }));
    }

    [Test]
    public async Task Publish_TenantsAreIsolated()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync("/a", d => d with { TenantId = "a" });

        var result = await host.PublishAsync("evt_b", tenantId: "b");

        Assert.That(result.MessageIds, Is.Empty);
    }

    [Test]
    public async Task Publish_DataThatIsNotJson_IsRejectedNamingTheProblem()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync();

        var error = Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync("evt_bad", json: "{not json"));

        Assert.That(error!.Message, Does.Contain("not valid JSON"));
    }

    [Test]
    public async Task Publish_DataAFilterCannotRead_IsRejectedAndStoresNothing()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync("/all");
        await host.CreateAsync("/filtered", d => d with { EventTypes = [], EventFilter = "contains(name, 'prod')" });

        var error = Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync("evt_bad", json: """{"name":"prod-\ud800"}"""));

        Assert.That(error!.Message, Does.Contain("cannot be filtered"));
        Assert.That((await host.PublishAsync("evt_bad", json: """{"name":"prod-1"}""")).MessageIds, Has.Count.EqualTo(2), "the event id was not taken");
    }

    // An outbox checks events with Validate when it stores them; the relay publishes them later, to whatever webhooks
    // (with or without filters) the tenant has by then.
    [TestCase("""{"name":"prod-\ud800"}""")]
    [TestCase("""{"name":"\udc00x"}""")]
    [TestCase("""{"\ud800":"prod"}""")]
    public async Task Publish_DataAFilterCannotRead_IsRejectedByValidateAndWithoutAFilter(string json)
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync("/all");
        var webhookEvent = WebhookEvent.FromJson("evt_bad", "order.created", json);

        var validated = Assert.Throws<ArgumentException>(webhookEvent.Validate);
        var published = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishAsync(webhookEvent));
        var targeted = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishToAsync((await host.CreateAsync("/one")).Webhook.Id, webhookEvent));

        Assert.Multiple(() =>
        {
            Assert.That(validated!.Message, Does.StartWith("The event data is not valid JSON: "));
            Assert.That(published!.Message, Does.StartWith("The event data is not valid JSON: "));
            Assert.That(targeted!.ParamName, Is.EqualTo("webhookEvent"));
        });
        Assert.That(WebhookEvent.FromJson("evt_ok", "order.created", """{"name":"\ud83d\ude00 \u00e9"}""").Validate, Throws.Nothing, "a whole pair is text");
    }

    // The reader does not look at the bytes inside a string: data that is not UTF-8 was stored, signed and sent as it was.
    [TestCase(null)]
    [TestCase("total gt 1")]
    public async Task Publish_DataNotUtf8_IsRejectedNamingTheByteAndStoresNothing(string? filter)
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync(change: d => filter is null ? d : d with { EventTypes = [], EventFilter = filter })).Webhook;
        byte[] data = [.. "{\"total\": 12, \"name\": \""u8, 0xFF, .. "\"}"u8];
        var webhookEvent = new WebhookEvent { Id = "evt_utf8", Type = "order.created", Data = data };

        var validated = Assert.Throws<ArgumentException>(webhookEvent.Validate);
        var published = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishAsync(webhookEvent));

        Assert.Multiple(async () =>
        {
            Assert.That(validated!.Message, Does.StartWith("The event data is not valid JSON: it is not UTF-8 (byte 24 starts no character)."));
            Assert.That(published!.Message, Is.EqualTo(validated.Message));
            Assert.That((await host.Log.ListAsync(new MessageQuery { WebhookId = webhook.Id })).Total, Is.Zero);
        });
    }

    [Test]
    public async Task Publish_SerializedEventWhoseDataIsReplacedByNotJson_IsRejected()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync();
        var serialized = WebhookEvent.Create("evt_typed", "order.created", new { OrderId = 7 });

        var stored = await host.Publisher.PublishAsync(serialized);
        var error = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishAsync(serialized with { Id = "evt_replaced", Data = "{not json"u8.ToArray() }));

        Assert.Multiple(async () =>
        {
            Assert.That(error!.Message, Does.Contain("not valid JSON"));
            var message = await host.Host.Services.GetRequiredService<IWebhookStore>().GetMessageAsync(stored.MessageIds[0], CancellationToken.None);
            Assert.That(Encoding.UTF8.GetString(message!.Payload.Span), Does.EndWith(""","data":{"orderId":7}}"""));
        });
    }

    [Test]
    public async Task Publish_JsonTextParsedForAFilter_IsStoredAsGivenAndNotJsonIsRejected()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync("/filtered", d => d with { EventTypes = [], EventFilter = "type eq 'order.created' and total gt 10" });

        var stored = await host.PublishAsync("evt_text", json: """{"total": 12}""");
        var error = Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync("evt_bad", json: """{"total": 12"""));

        var message = await host.Host.Services.GetRequiredService<IWebhookStore>().GetMessageAsync(stored.MessageIds[0], CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(message!.Payload.Span), Does.EndWith(""","data":{"total": 12}}"""));
            Assert.That(error!.Message, Does.Contain("not valid JSON"));
        });
    }

    [TestCase("id", "The event id is 257 characters long; at most 256 are allowed.")]
    [TestCase("type", "The event type is 257 characters long; at most 256 are allowed.")]
    [TestCase("tenant", "The event tenant id is 257 characters long; at most 256 are allowed.")]
    public async Task Publish_KeyLongerThanTheLimit_IsRejectedNamingItAndStoresNothing(string key, string expected)
    {
        await using var host = await EngineHost.StartAsync();
        var webhook = (await host.CreateAsync("/all", d => d with { EventTypes = [EventTypePattern.All] })).Webhook;
        var longest = new string('k', WebhookEvent.MaxKeyLength);
        var atLimit = WithKey(WebhookEvent.FromJson("evt_limit", "order.created", "{}"), key, longest);
        var tooLong = WithKey(WebhookEvent.FromJson("evt_long", "order.created", "{}"), key, longest + "k");

        var accepted = await host.Publisher.PublishAsync(atLimit);
        var error = Assert.ThrowsAsync<ArgumentException>(async () => await host.Publisher.PublishAsync(tooLong));

        Assert.Multiple(async () =>
        {
            Assert.That(accepted.MessageIds, Has.Count.EqualTo(key == "tenant" ? 0 : 1), "at the limit, published (the tenant has no webhook)");
            Assert.That(error!.Message, Does.StartWith(expected));
            var stored = await host.Host.Services.GetRequiredService<IWebhookStore>().ListMessagesAsync(new MessageQuery { WebhookId = webhook.Id }, CancellationToken.None);
            Assert.That(stored.Items.Select(static m => m.EventId), Does.Not.Contain("evt_long"));
        });
    }

    [TestCase("id", "evt\u0000", "The event id has a control character (U+0000) at character 4")]
    [TestCase("type", "order\ncreated", "The event type has a control character (U+000A) at character 6")]
    [TestCase("tenant", "acme\u007f", "The event tenant id has a control character (U+007F) at character 5")]
    [TestCase("id", "evt_\u0085x\u0001", "The event id has a control character (U+0085) at character 5")]
    [TestCase("id", "evt\\uD800x", "The event id has a surrogate without its pair (U+D800) at character 4")]
    [TestCase("type", "order.\\uDE00", "The event type has a surrogate without its pair (U+DE00) at character 7")]
    [TestCase("tenant", "acme\\uD83D", "The event tenant id has a surrogate without its pair (U+D83D) at character 5")]
    public void Validate_ControlCharacterOrLoneSurrogateInAKey_IsRejectedNamingItsPosition(string key, string escaped, string expected)
    {
        var value = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var webhookEvent = WithKey(WebhookEvent.FromJson("evt_1", "order.created", "{}"), key, value);

        var error = Assert.Throws<ArgumentException>(webhookEvent.Validate);

        Assert.That(error!.Message, Does.StartWith(expected));
    }

    [Test]
    public void Validate_KeysWithSurrogatePairs_AreAccepted()
    {
        var webhookEvent = WebhookEvent.FromJson("evt_\U0001F600", "order.\U0001F4E6", "{}") with { TenantId = "acme_\U0001F30D" };

        Assert.That(webhookEvent.Validate, Throws.Nothing);
    }

    [Test]
    public void ValidateKeys_AValidEvent_AllocatesNothing()
    {
        var webhookEvent = WebhookEvent.FromJson("evt_1", "order.created", "{}") with { TenantId = "acme" };
        webhookEvent.ValidateKeys();

        var allocated = Filtering.ThreadAllocations.Least(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                webhookEvent.ValidateKeys();
            }
        });

        Assert.That(allocated, Is.Zero, "publishing checks an event's keys on every publish");
    }

    [TestCase("", "not valid JSON")]
    [TestCase("{not json", "not valid JSON")]
    [TestCase("{} {}", "not valid JSON")]
    public void Validate_DataThatIsNotOneJsonValue_IsRejected(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(WebhookEvent.FromJson("evt_1", "order.created", json).Validate);

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void Validate_AValidEvent_Passes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WebhookEvent.FromJson("evt_1", "order.created", """ {"total": 12} """).Validate, Throws.Nothing);
            Assert.That(WebhookEvent.Create("evt_2", "order.created", new { Total = 12 }, null).Validate, Throws.Nothing);
            Assert.That((WebhookEvent.FromJson("evt_3", "order.created", "[1, 2]") with { TenantId = "" }).Validate, Throws.Nothing);
        });
    }

    private static WebhookEvent WithKey(WebhookEvent webhookEvent, string key, string value) => key switch
    {
        "id" => webhookEvent with { Id = value },
        "type" => webhookEvent with { Type = value },
        _ => webhookEvent with { TenantId = value },
    };

    [Test]
    public void Equality_IsByProperties_WhetherOrNotTheSerializerWroteTheData()
    {
        var serialized = WebhookEvent.Create("evt_1", "order.created", new { OrderId = 7 });
        var sameData = serialized with { Data = serialized.Data };

        Assert.Multiple(() =>
        {
            Assert.That(sameData, Is.EqualTo(serialized));
            Assert.That(sameData.GetHashCode(), Is.EqualTo(serialized.GetHashCode()));
            Assert.That(serialized with { Data = serialized.Data.ToArray() }, Is.Not.EqualTo(serialized), "Data is compared by the memory it refers to");
            Assert.That(serialized with { TenantId = "acme" }, Is.Not.EqualTo(serialized));
        });
    }

    private static async Task<string[]> WebhooksOf(EngineHost host, PublishResult result)
    {
        var ids = new List<string>();
        foreach (var messageId in result.MessageIds)
        {
            var message = await host.Host.Services.GetRequiredService<IWebhookStore>().GetMessageAsync(messageId, CancellationToken.None);
            ids.Add(message!.WebhookId);
        }

        return [.. ids];
    }
    [Test]
    public async Task Publish_EmptyEventData_ErrorNamesTheEventData()
    {
        await using var host = await EngineHost.StartAsync();
        await host.CreateAsync();

        var error = Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync("evt_empty", json: ""));

        Assert.That((error!.ParamName, error.Message), Is.EqualTo(("webhookEvent", "The event data is not valid JSON: it is empty (send null or {} for an event without data). (Parameter 'webhookEvent')")));
    }

    [Test]
    public async Task Publish_OneStoredFilterThatDoesNotParse_TheTenantsOtherWebhooksStillGetTheEvent()
    {
        await using var host = await EngineHost.StartAsync();
        var healthy = (await host.CreateAsync("/healthy")).Webhook;

        // A filter stored under older rules, by another version, or written to the store directly.
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        await store.AddConfigAsync(
            new WebhookConfig { Id = "wh_old_rules", Url = host.Receiver.UrlFor("/old"), EventTypes = ["*"], EventFilter = "a eq", Status = WebhookStatus.Active },
            CancellationToken.None);

        var published = await host.PublishAsync("evt_1");

        var messages = await host.Log.ListAsync(new MessageQuery { WebhookId = healthy.Id });
        Assert.That((published.MessageIds.Count, messages.Items.Count), Is.EqualTo((1, 1)), "the healthy webhook's message, and none for the broken filter");
    }
}
