using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Npgsql;
using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class PostgreSqlWebhookOutboxTests : PostgreSqlTestBase
{
    private readonly List<PublishedEvent> _published = [];

    private IWebhookPublisher Publisher { get; set; } = null!;

    [SetUp]
    public void CreatePublisher()
    {
        _published.Clear();
        Publisher = Substitute.For<IWebhookPublisher>();
        Publisher.PublishAsync(Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            Record(null, false, call.Arg<WebhookEvent>());
            return ValueTask.FromResult(new PublishResult(call.Arg<WebhookEvent>().Id, [], 0));
        });
        Publisher.PublishToAsync(Arg.Any<string?>(), Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            Record(call.Arg<string?>(), true, call.Arg<WebhookEvent>());
            return ValueTask.FromResult(new PublishResult(call.Arg<WebhookEvent>().Id, [], 0));
        });
    }

    [Test]
    public async Task PublishAsync_TransactionCommits_EventRelayedAndRemoved()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        var relay = new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);

        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", """{"id":1}""") with { TenantId = "tenant-1" }, connection, transaction);
            await outbox.PublishToAsync("wh-9", WebhookEvent.FromJson("evt-2", "order.paid", "{}"), connection, transaction);
            Assert.That(await relay.RelayOnceAsync(Timeout), Is.Zero, "nothing is relayed before the commit");
            await transaction.CommitAsync();
        }

        Assert.That(await relay.RelayOnceAsync(Timeout), Is.EqualTo(2));

        Assert.That(_published, Has.Count.EqualTo(2));
        Assert.That(_published[0], Is.EqualTo(new PublishedEvent("evt-1", "order.created", "tenant-1", """{"id":1}""", false, null, Now)));
        Assert.That(_published[1], Is.EqualTo(new PublishedEvent("evt-2", "order.paid", null, "{}", true, "wh-9", Now)));
        Assert.That(await relay.RelayOnceAsync(Timeout), Is.Zero);
    }

    [Test]
    public async Task PublishAsync_TransactionRolledBack_NothingStoredOrRelayed()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        var relay = new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);

        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, transaction);
            await transaction.RollbackAsync();
        }

        Assert.That(await relay.RelayOnceAsync(Timeout), Is.Zero);
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox"), Is.Zero);
        Assert.That(_published, Is.Empty);
    }

    [Test]
    public async Task PublishAsync_TransactionOfAnotherConnection_ThrowsNamingItAndWritesNothing()
    {
        // Npgsql runs a command in its connection's transaction, whatever transaction it is given: the event would be
        // committed on its own, whether the host's change commits or not.
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        var outbox = new PostgreSqlWebhookOutbox(store);
        await using var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
        await using var other = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();

        Assert.Multiple(() =>
        {
            Assert.That(
                async () => await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, otherTransaction),
                Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("transaction").And.Message.Contains("another connection"));
            Assert.That(
                async () => await outbox.PublishToAsync("wh-1", WebhookEvent.FromJson("evt-2", "order.created", "{}"), connection, otherTransaction),
                Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("transaction"));
        });
        await otherTransaction.RollbackAsync();
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox"), Is.Zero);
    }

    [Test]
    public async Task RelayOnceAsync_EventThatKeepsFailing_IsSetAsideAndTheEventsBehindItArePublished()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        var failing = true;
        Publisher.PublishAsync(Arg.Is<WebhookEvent>(e => e.Id == "evt-bad"), Arg.Any<CancellationToken>()).Returns(call =>
        {
            if (failing)
            {
                throw new InvalidOperationException("A bug in a handler of this event.");
            }

            Record(null, false, call.Arg<WebhookEvent>());
            return ValueTask.FromResult(new PublishResult("evt-bad", [], 0));
        });
        var relay = new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            foreach (var id in new[] { "evt-bad", "evt-2", "evt-3" })
            {
                await outbox.PublishAsync(WebhookEvent.FromJson(id, "order.created", "{}"), connection, null);
            }
        }

        var relayed = await relay.RelayOnceAsync(Timeout);
        Time.Advance(TimeSpan.FromSeconds(59));
        var beforeItsTime = await relay.RelayOnceAsync(Timeout);
        failing = false;
        Time.Advance(TimeSpan.FromSeconds(1));
        var atItsTime = await relay.RelayOnceAsync(Timeout);

        Assert.Multiple(async () =>
        {
            Assert.That(relayed, Is.EqualTo(2));
            Assert.That(beforeItsTime, Is.Zero, "a row set aside waits for its retry time");
            Assert.That(atItsTime, Is.EqualTo(1));
            Assert.That(_published.Select(p => p.Id), Is.EqualTo(new[] { "evt-2", "evt-3", "evt-bad" }));
            Assert.That(relay.SetAsideCount, Is.Zero);
            Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox"), Is.Zero);
        });
    }

    // A row set aside here and relayed by another instance stayed set aside for ever: the entry is removed only when
    // this relay commits the row, so the set grows towards MaxSetAside, past which a failing row holds every row behind it.
    [Test]
    public async Task RelayOnceAsync_SetAsideRowRelayedByAnotherInstance_IsForgotten()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        var failingPublisher = Substitute.For<IWebhookPublisher>();
        failingPublisher.PublishAsync(Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>())
            .Returns<ValueTask<PublishResult>>(_ => throw new InvalidOperationException("A bug in a handler of this event."));
        var here = new OutboxRelay(store, store, failingPublisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);
        var otherInstance = new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, null);
        }

        Assert.That(await here.RelayOnceAsync(Timeout), Is.Zero);
        Assert.That(here.SetAsideCount, Is.EqualTo(1));
        Assert.That(await otherInstance.RelayOnceAsync(Timeout), Is.EqualTo(1));

        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(5));
            Assert.That(await here.RelayOnceAsync(Timeout), Is.Zero);
        }

        Assert.That(here.SetAsideCount, Is.Zero, "the row is gone from the outbox");
    }

    [Test]
    public async Task RelayOnceAsync_EveryEventFails_SetsAsideAFewPerPassAndKeepsEveryRow()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        Publisher.PublishAsync(Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>()).Returns<ValueTask<PublishResult>>(_ => throw new TimeoutException("The store does not answer."));
        var relay = new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            for (var i = 0; i < 10; i++)
            {
                await outbox.PublishAsync(WebhookEvent.FromJson($"evt-{i}", "order.created", "{}"), connection, null);
            }
        }

        Assert.ThrowsAsync<TimeoutException>(() => relay.RelayOnceAsync(Timeout));

        Assert.That(relay.SetAsideCount, Is.EqualTo(3));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox"), Is.EqualTo(10));
    }

    // "\ud800" alone is valid JSON, so the outbox took the event, and the relay could only drop it once committed. It is
    // now refused in the writer's call, naming the problem, and the writer's transaction goes on.
    [Test]
    public async Task PublishAsync_EventAFilterCannotRead_IsRefusedAndTheCallersTransactionGoesOn()
    {
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        var outbox = new PostgreSqlWebhookOutbox(store);
        await using var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var error = Assert.ThrowsAsync<ArgumentException>(async () =>
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-bad", "server.updated", """{"new":{"name":"prod-\ud800"}}"""), connection, transaction));
        await outbox.PublishAsync(WebhookEvent.FromJson("evt-good", "server.updated", """{"new":{"name":"prod-1"}}"""), connection, transaction);
        await transaction.CommitAsync();

        Assert.That(error!.Message, Does.StartWith("The event data is not valid JSON"));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox"), Is.EqualTo(1));
    }

    // Such an event stored by an earlier version, which took it: a filter reading it threw InvalidOperationException on
    // every pass, and the relay published nothing behind it. It is dropped, and the events behind it are published.
    [Test]
    public async Task RelayOnceAsync_StoredEventAFilterCannotRead_IsDroppedAndTheEventsBehindItArePublished()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddWebhooks().UsePostgreSql(PostgreSqlTestDatabase.DataSource, o => o.SchemaName = Schema);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<PostgreSqlWebhookStore>();
        var webhook = (await provider.GetRequiredService<IWebhookEndpoints>().CreateAsync(new WebhookDefinition
        {
            Name = "prod",
            Url = "https://example.com/hook",
            EventFilter = "contains(new/name, 'prod')",
            VerificationMode = VerificationMode.None,
        })).Webhook;
        await PostgreSqlTestDatabase.ExecuteAsync(
            $$$"""
            INSERT INTO "{{{Schema}}}".outbox (event_id, event_type, occurred_at, data, targeted)
            VALUES ('evt-bad', 'server.updated', now(), convert_to('{"new":{"name":"prod-\ud800"}}', 'UTF8'), false)
            """);
        var outbox = new PostgreSqlWebhookOutbox(store);
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-good", "server.updated", """{"new":{"name":"prod-1"}}"""), connection, null);
        }

        var relay = new OutboxRelay(store, store, provider.GetRequiredService<IWebhookPublisher>(), 100, TimeSpan.FromMinutes(1), NullLogger.Instance);
        var relayed = await relay.RelayOnceAsync(Timeout);

        var log = await provider.GetRequiredService<IDeliveryLog>().ListAsync(new MessageQuery { WebhookId = webhook.Id });
        Assert.That((relayed, relay.SetAsideCount), Is.EqualTo((2, 0)));
        Assert.That(log.Items.Select(m => m.EventId), Is.EqualTo(new[] { "evt-good" }));
    }

    // The character is given by its code: an attribute's string holds no half pair (it is stored as UTF-8), and a test
    // name with a control character is not found by a filter.
    [TestCase(0x0000, "a U+0000 character")]
    [TestCase(0xD800, "a surrogate without its pair (U+D800)")]
    public async Task PublishToAsync_TargetIdPostgreSqlCannotStore_IsRefusedNamingTheCharacterAndTheCallersTransactionGoesOn(int code, string what)
    {
        var webhookId = $"wh{(char)code}x";
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        var outbox = new PostgreSqlWebhookOutbox(store);
        await PostgreSqlTestDatabase.ExecuteAsync($"CREATE TABLE \"{Schema}\".orders (id int)");

        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // A webhook id taken from a request (a %00 in a route): PostgreSQL refuses U+0000 in text, and its error
            // aborted the caller's transaction.
            var error = Assert.ThrowsAsync<ArgumentException>(async () =>
                await outbox.PublishToAsync(webhookId, WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, transaction));
            Assert.That(
                (error!.ParamName, error.Message),
                Is.EqualTo(("webhookId", $"The webhook id has {what} at character 3; no webhook has such an id. (Parameter 'webhookId')")));

            await using (var business = new NpgsqlCommand($"INSERT INTO \"{Schema}\".orders VALUES (1)", connection, transaction))
            {
                await business.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".orders"), Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> InvalidEvents() =>
    [
        // Named apart from their arguments: a test name with a control character is not found by a test filter.
        new TestCaseData(WebhookEvent.FromJson("evt-1", "", "{}"), "no type").SetArgDisplayNames("blank type"),
        new TestCaseData(WebhookEvent.FromJson("evt\u00011", "order.created", "{}"), "control character").SetArgDisplayNames("control character in id"),
        new TestCaseData(WebhookEvent.FromJson(new string('e', 257), "order.created", "{}"), "at most 256").SetArgDisplayNames("id too long"),
        new TestCaseData(WebhookEvent.FromJson("evt-1", "order.created", "not json"), "not valid JSON").SetArgDisplayNames("data not JSON"),
    ];

    [TestCaseSource(nameof(InvalidEvents))]
    public async Task PublishAsync_InvalidEvent_ThrowsAndWritesNothingInTheCallersTransaction(WebhookEvent invalid, string reason)
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);

        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.That(
                async () => await outbox.PublishAsync(invalid, connection, transaction),
                Throws.ArgumentException.With.Message.Contains(reason));
            Assert.That(
                async () => await outbox.PublishToAsync("wh-1", invalid, connection, transaction),
                Throws.ArgumentException.With.Message.Contains(reason));

            // Refused before any SQL ran, so the caller's transaction goes on.
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-good", "order.created", "{}"), connection, transaction);
            await transaction.CommitAsync();
        }

        Assert.That(await new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance).RelayOnceAsync(Timeout), Is.EqualTo(1));
        Assert.That(_published.Select(p => p.Id), Is.EqualTo(new[] { "evt-good" }));
    }

    [Test]
    public async Task RelayOnceAsync_PublisherThrows_RowKeptForNextTry()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        var failing = Substitute.For<IWebhookPublisher>();
        failing.PublishAsync(Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>()).Returns<PublishResult>(_ => throw new InvalidOperationException("store down"));
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, null);
        }

        var relay = new OutboxRelay(store, store, failing, 100, TimeSpan.FromMinutes(1), NullLogger.Instance);
        Assert.That(await relay.RelayOnceAsync(Timeout), Is.Zero);
        Assert.That(relay.SetAsideCount, Is.EqualTo(1));
        Assert.That(await new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance).RelayOnceAsync(Timeout), Is.EqualTo(1));
        Assert.That(_published.Single().Id, Is.EqualTo("evt-1"));
    }

    [Test]
    public async Task RelayOnceAsync_TargetMissing_DroppedSoOthersFlow()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        Publisher.PublishToAsync("gone", Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>())
            .Returns<PublishResult>(_ => throw new WebhookNotFoundException("gone"));
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await outbox.PublishToAsync("gone", WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, null);
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-2", "order.created", "{}"), connection, null);
        }

        Assert.That(await new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance).RelayOnceAsync(Timeout), Is.EqualTo(2));
        Assert.That(_published.Select(p => p.Id), Is.EqualTo(new[] { "evt-2" }));
    }

    [Test]
    public async Task RelayOnceAsync_PublisherRefusesEvent_DroppedSoOthersFlow()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        Publisher.PublishAsync(Arg.Is<WebhookEvent>(e => e.Id == "evt-bad"), Arg.Any<CancellationToken>())
            .Returns<PublishResult>(_ => throw new ArgumentException("The event has no type."));
        await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
        {
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-bad", "order.created", "{}"), connection, null);
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-good", "order.created", "{}"), connection, null);
        }

        Assert.That(await new OutboxRelay(store, store, Publisher, 100, TimeSpan.FromMinutes(1), NullLogger.Instance).RelayOnceAsync(Timeout), Is.EqualTo(2));
        Assert.That(_published.Select(p => p.Id), Is.EqualTo(new[] { "evt-good" }));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox"), Is.Zero);
    }

    [Test]
    public async Task Relay_Running_WakesOnCommitWithoutPolling()
    {
        var store = CreateStore();
        var outbox = new PostgreSqlWebhookOutbox(store);
        var relayed = new TaskCompletionSource<WebhookEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = Substitute.For<IWebhookPublisher>();
        publisher.PublishAsync(Arg.Any<WebhookEvent>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            relayed.TrySetResult(call.Arg<WebhookEvent>());
            return ValueTask.FromResult(new PublishResult(call.Arg<WebhookEvent>().Id, [], 0));
        });

        await store.MigrateAsync(Timeout);

        // The poll interval is far beyond the test's deadline (and the fake clock never moves): only the notification can wake it.
        using var relay = new OutboxRelay(store, store, publisher, 100, TimeSpan.FromHours(1), NullLogger.Instance);
        await relay.StartAsync(CancellationToken.None);
        await store.WaitUntilListeningAsync(Timeout);
        await WaitUntilAsync(async () => await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox") == 0, "the relay is idle");
        try
        {
            await using (var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, transaction);
                await transaction.CommitAsync();
            }

            Assert.That((await relayed.Task.WaitAsync(TimeSpan.FromSeconds(10))).Id, Is.EqualTo("evt-1"));
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    private void Record(string? webhookId, bool targeted, WebhookEvent webhookEvent)
    {
        lock (_published)
        {
            _published.Add(new PublishedEvent(
                webhookEvent.Id, webhookEvent.Type, webhookEvent.TenantId, System.Text.Encoding.UTF8.GetString(webhookEvent.Data.Span), targeted, webhookId, webhookEvent.Timestamp));
        }
    }

    private sealed record PublishedEvent(string Id, string Type, string? TenantId, string Data, bool Targeted, string? WebhookId, DateTimeOffset? Timestamp);
}
