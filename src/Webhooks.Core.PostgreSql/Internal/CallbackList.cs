using Microsoft.Extensions.Logging;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Callbacks invoked together; subscribing and unsubscribing swap an immutable array, so invoking takes no lock.</summary>
internal sealed class CallbackList(ILogger logger)
{
    private readonly Lock _gate = new();
    private Action[] _callbacks = [];

    public bool IsEmpty => Volatile.Read(ref _callbacks).Length == 0;

    public IDisposable Add(Action callback)
    {
        lock (_gate)
        {
            _callbacks = [.. _callbacks, callback];
        }

        return new Registration(this, callback);
    }

    public void Invoke()
    {
        foreach (var callback in Volatile.Read(ref _callbacks))
        {
            try
            {
                callback();
            }
            catch (Exception exception)
            {
                Log.SubscriberFailed(logger, exception);
            }
        }
    }

    private void Remove(Action callback)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_callbacks, callback);
            if (index >= 0)
            {
                _callbacks = [.. _callbacks.AsSpan(0, index), .. _callbacks.AsSpan(index + 1)];
            }
        }
    }

    private sealed class Registration(CallbackList owner, Action callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(callback);
            }
        }
    }
}
