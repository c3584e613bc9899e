using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>A real host running the whole engine (in-memory store, HTTP transport) against a real Kestrel receiver, on fake time.</summary>
internal sealed class EngineHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private EngineHost(IHost host, TestWebhookReceiver receiver, FakeTimeProvider time)
    {
        Host = host;
        Receiver = receiver;
        Time = time;
    }

    public IHost Host { get; }

    public TestWebhookReceiver Receiver { get; }

    public FakeTimeProvider Time { get; }

    public IWebhookPublisher Publisher => Host.Services.GetRequiredService<IWebhookPublisher>();

    public IWebhookEndpoints Endpoints => Host.Services.GetRequiredService<IWebhookEndpoints>();

    public IDeliveryLog Log => Host.Services.GetRequiredService<IDeliveryLog>();

    public RecordingNotificationHandler Notifications => Host.Services.GetRequiredService<RecordingNotificationHandler>();

    public static async Task<EngineHost> StartAsync(Action<WebhooksOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var receiver = await TestWebhookReceiver.StartAsync(cancellationToken: CancellationToken.None);
        var time = new FakeTimeProvider(Start);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<RecordingNotificationHandler>();
        builder.Services.AddSingleton<IWebhookNotificationHandler>(sp => sp.GetRequiredService<RecordingNotificationHandler>());
        builder.Services.AddWebhooks(o =>
        {
            o.AllowHttp = true;
            o.Http.AllowedAddresses.Add("127.0.0.1");
            o.Retry.Jitter = 0;
            o.Dispatcher.MaxConcurrencyPerWebhook = 1;
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host, receiver, time);
    }

    public async Task<WebhookWithSecret> CreateAsync(string path = "/hook", Func<WebhookDefinition, WebhookDefinition>? change = null)
    {
        var definition = new WebhookDefinition { Name = "test", Url = Receiver.UrlFor(path), EventTypes = ["*"] };
        return await Endpoints.CreateAsync(change?.Invoke(definition) ?? definition);
    }

    public Task<PublishResult> PublishAsync(string id, string type = "order.created", string json = """{"total": 12}""", string? tenantId = null) =>
        Publisher.PublishAsync(WebhookEvent.FromJson(id, type, json) with { TenantId = tenantId }).AsTask();

    /// <summary>
    /// Asks for a message's retry as another instance sharing <paramref name="store"/> would: through the store, with this
    /// process's dispatcher not told of the change.
    /// </summary>
    public Task RetryAsAnotherInstanceAsync(IWebhookStore store, string messageId) =>
        store.UpdateMessageAsync(messageId, m => MessageLifecycle.RetryNow(m, Time.GetUtcNow()), CancellationToken.None).AsTask();

    /// <summary>Waits, with a deadline, until the message reaches <paramref name="condition"/>.</summary>
    public async Task<DeliveryMessageDetail> WaitForMessageAsync(string webhookId, string messageId, Func<DeliveryMessageDetail, bool> condition, string what)
    {
        DeliveryMessageDetail? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                last = await Log.GetAsync(webhookId, messageId);
                return last is not null && condition(last);
            },
            () => $"message {messageId}: {what}; last seen {last?.Message.Status} after {last?.Attempts.Count} attempts");
        return last!;
    }

    public async Task<WebhookConfig> WaitForWebhookAsync(string webhookId, Func<WebhookConfig, bool> condition, string what)
    {
        WebhookConfig? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                last = await Endpoints.GetAsync(webhookId);
                return last is not null && condition(last);
            },
            () => $"webhook {webhookId}: {what}; last seen {last?.State}/{last?.Status} ({last?.StatusReason})");
        return last!;
    }

    /// <summary>
    /// Waits, with a deadline, until the host was told <paramref name="kind"/> about the webhook: notifications follow
    /// the change they report, which is stored first.
    /// </summary>
    public Task WaitForNotificationAsync(string webhookId, WebhookNotificationKind kind) =>
        Eventually.HoldsAsync(
            () => Task.FromResult(Notifications.Kinds(webhookId).Contains(kind)),
            () => $"webhook {webhookId}: notification {kind}; received {string.Join(", ", Notifications.Kinds(webhookId))}");

    /// <summary>Waits until every stored outcome's health has been recorded (health is folded in the background).</summary>
    public Task HealthSettledAsync() =>
        Host.Services.GetServices<IHostedService>().OfType<Webhooks.Core.Internal.WebhookDispatcher>().Single().HealthSettledAsync();

    /// <summary>Waits until every notification raised so far has been handled (they are handled in the background).</summary>
    public Task NotificationsSettledAsync() =>
        Host.Services.GetRequiredService<Webhooks.Core.Internal.NotificationDispatcher>().DrainAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await Receiver.DisposeAsync();
    }
}
