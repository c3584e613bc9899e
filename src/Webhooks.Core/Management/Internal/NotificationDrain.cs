using Microsoft.Extensions.Hosting;

namespace Webhooks.Core.Internal;

/// <summary>
/// Lets the notification handlers finish what was raised before the host stops, until its shutdown timeout. It is
/// registered before the dispatcher, so it stops after it: what the dispatcher raises while it drains is handled too,
/// and it runs whether or not the dispatcher is enabled. (A host that stops its services concurrently stops both at
/// once: the dispatcher then drains the notifications again itself, after its own drain.)
/// </summary>
internal sealed class NotificationDrain(NotificationDispatcher notifications) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => notifications.DrainAsync(cancellationToken);
}
