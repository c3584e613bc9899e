using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// One dedicated connection that <c>LISTEN</c>s on the store's channel, started on first need and reconnected after any
/// failure. Notifications missed while disconnected are covered by <see cref="NotificationSink.OnListenerReset"/>.
/// </summary>
internal sealed class NotificationListener : IAsyncDisposable, IDisposable
{
    // How long a wait may pass without traffic before the connection is checked with a round trip.
    private static readonly TimeSpan IdleCheckInterval = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly TimeSpan _reconnectDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly NotificationSink _sink;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private volatile bool _isListening;
    private int _connections;

    public NotificationListener(
        NpgsqlDataSource dataSource, string channel, TimeSpan reconnectDelay, TimeProvider timeProvider, ILogger logger, NotificationSink sink)
    {
        _dataSource = dataSource;
        _channel = channel;
        _reconnectDelay = reconnectDelay;
        _timeProvider = timeProvider;
        _logger = logger;
        _sink = sink;
    }

    /// <summary>Gets a value indicating whether the connection is listening now.</summary>
    public bool IsListening => _isListening;

    /// <summary>Gets how many times the listener has connected.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Starts listening unless already started.</summary>
    public void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_gate)
        {
            if (_loop is null && !_stopping.IsCancellationRequested)
            {
                // Not in the context of whichever caller started it: its ambient transaction (TransactionScope) would
                // take in the listening connection, and undo the LISTEN when it rolls back.
                using (ExecutionContext.SuppressFlow())
                {
                    _loop = Task.Run(() => RunAsync(_stopping.Token));
                }
            }
        }
    }

    /// <summary>Starts listening if needed and completes once the connection listens.</summary>
    public Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return Volatile.Read(ref _listening).Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            _stopping.Cancel();
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    /// <summary>Stops listening without waiting for the loop, which still reads the token source: it is left to the collector.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping.Cancel();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.ListenerFailed(_logger, _channel, exception);
            }
            finally
            {
                if (_isListening)
                {
                    _isListening = false;
                    Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    _sink.OnListenerReset();
                }
            }

            try
            {
                await Task.Delay(_reconnectDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, e) => _sink.OnNotification(e.Payload);
            using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            _isListening = true;
            Interlocked.Increment(ref _connections);
            Log.Listening(_logger, _channel);
            _sink.OnListenerReset();
            Volatile.Read(ref _listening).TrySetResult();

            try
            {
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheckInterval, cancellationToken).ConfigureAwait(false))
                    {
                        using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                await UnlistenAsync(connection).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops listening before the connection goes back to a pool that may not reset it; a broken one is discarded anyway.</summary>
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var unlisten = new NpgsqlCommand("UNLISTEN *", connection) { CommandTimeout = 2 };
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The connection is unusable and will not be reused.
        }
    }
}
