namespace Webhooks.Core;

/// <summary>
/// Implemented by stores that can tell a dispatcher, without polling, that messages may have become due because
/// another process stored or released them (PostgreSQL <c>LISTEN/NOTIFY</c>, for example). Optional: without it the
/// dispatcher wakes on this process's own publishes and polls at <see cref="DispatcherOptions.PollInterval"/>.
/// </summary>
public interface IDueMessageNotifier
{
    /// <summary>Registers a callback invoked, on any thread, whenever messages may have become due.</summary>
    /// <param name="onDue">The callback; it must be quick and must not throw.</param>
    /// <returns>A registration that stops the callbacks when disposed.</returns>
    IDisposable Subscribe(Action onDue);
}
