// The Webhooks.Core quickstart: a local receiver, four webhooks (one with an OData filter), events published,
// a failing endpoint going Warning -> Error, a flaky one recovering, and the delivery log as a table.
//
//   dotnet run --project samples/Webhooks.Samples.Quickstart
using Webhooks.Core;
using Webhooks.Samples.Quickstart;

await using var receiver = await DemoReceiver.StartAsync();

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ShowLibraryErrorsOnly();
builder.Services.AddWebhooks(o =>
    {
        o.AllowHttp = true;                                   // the demo receiver is plain http on loopback
        o.Http.AllowedAddresses.Add("127.0.0.1");             // the SSRF guard refuses loopback unless allowed
        o.Retry.BaseDelay = TimeSpan.FromMilliseconds(250);   // short retries keep the demo quick
        o.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        o.Dispatcher.MaxConcurrencyPerWebhook = 1;            // one attempt at a time per webhook: the health rules see them in order
    })
    .UseInMemoryStore()
    .AddNotificationHandler<ConsoleNotifications>();
using var host = builder.Build();
await host.StartAsync();

var endpoints = host.Services.GetRequiredService<IWebhookEndpoints>();
var publisher = host.Services.GetRequiredService<IWebhookPublisher>();
var log = host.Services.GetRequiredService<IDeliveryLog>();

Console.WriteLine($"Receiver listening on {receiver.BaseAddress}");
var orders = await endpoints.CreateAsync(new WebhookDefinition { Name = "orders", Url = receiver.UrlFor("/orders"), EventTypes = ["order.*"] });
var bigOrders = await endpoints.CreateAsync(new WebhookDefinition
{
    Name = "big orders",
    Url = receiver.UrlFor("/big-orders"),
    EventTypes = ["order.created"],
    EventFilter = "total gt 100 and currency in ('EUR','USD')",
});
var broken = await endpoints.CreateAsync(new WebhookDefinition { Name = "broken", Url = receiver.UrlFor("/broken"), EventTypes = ["*"] });
var flaky = await endpoints.CreateAsync(new WebhookDefinition { Name = "flaky", Url = receiver.UrlFor("/flaky"), EventTypes = ["*"] });
foreach (var (path, webhook) in new[] { ("/orders", orders), ("/big-orders", bigOrders), ("/broken", broken), ("/flaky", flaky) })
{
    receiver.Secrets[path] = webhook.Secret;   // the receiver checks every signature with the webhook's secret
}

Console.WriteLine($"Registered 4 webhooks; 'big orders' filters on: {bigOrders.Webhook.EventFilter}");
Console.WriteLine();

var totals = new[] { 40m, 250m, 99m, 120m, 15m, 310m, 75m, 180m, 60m, 500m, 20m, 130m };
for (var i = 0; i < totals.Length; i++)
{
    var data = new { orderId = 1000 + i, total = totals[i], currency = i % 4 == 0 ? "GBP" : "EUR" };
    await publisher.PublishAsync(WebhookEvent.Create($"evt_{i}", "order.created", data));
}

// 'flaky' fails its first 6 attempts (Warning), then succeeds; 10 successes in a row make it Active again.
for (var i = 0; i < 12; i++)
{
    await publisher.PublishAsync(WebhookEvent.Create($"evt_ping_{i}", "system.ping", new { sequence = i }));
}

// Ctrl+C stops the host (its console lifetime); the demo then stops waiting and shuts down.
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
var settled =
    await Wait.UntilAsync(async () => (await endpoints.GetAsync(broken.Webhook.Id))!.Status == WebhookStatus.Error, "'broken' to be disabled", stopping)
    && await Wait.UntilAsync(async () => (await endpoints.GetAsync(flaky.Webhook.Id))!.Status == WebhookStatus.Active && receiver.Count("/flaky") >= 16, "'flaky' to recover", stopping)
    && await Wait.UntilAsync(async () => await DeliveryTable.AllSettledAsync(log, orders.Webhook.Id, bigOrders.Webhook.Id, flaky.Webhook.Id), "deliveries to settle", stopping);

Console.WriteLine();
if (!settled)
{
    Console.WriteLine("Stopped before the deliveries settled.");
}
else
{
    foreach (var webhook in new[] { orders, bigOrders, broken, flaky })
    {
        await DeliveryTable.PrintAsync(endpoints, log, webhook.Webhook.Id);
    }
}

await host.StopAsync();
