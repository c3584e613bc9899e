using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// An <see cref="IWebhookStore"/> whose UpdateConfigAsync, while a gate is set, waits for the gate: a slow store
/// (PostgreSQL under load) during which a webhook's next outcomes queue up. Then it fails (while the gate stays set),
/// or writes (the gate holds one write).
/// </summary>
public class GatedWriteStore : DispatchProxy
{
    private IWebhookStore _inner = null!;
    private bool _fail;

    public TaskCompletionSource? Gate;

    public TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Writes;

    public static (IWebhookStore Store, GatedWriteStore Control) Create(IWebhookStore inner, bool fail)
    {
        var store = Create<IWebhookStore, GatedWriteStore>();
        var proxy = (GatedWriteStore)(object)store;
        (proxy._inner, proxy._fail) = (inner, fail);
        return (store, proxy);
    }

    /// <summary>
    /// Starts an engine host over a gated store and a recorder of its own, and records one failed outcome: the first,
    /// written at once, whose write then waits at the gate until the test opens it.
    /// </summary>
    internal static async Task<(EngineHost Host, GatedWriteStore Control, HealthRecorder Recorder, WebhookConfig Webhook, TaskCompletionSource Gate)> StartRecorderAsync(bool fail)
    {
        var (store, control) = Create(new InMemoryWebhookStore(), fail);
        var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store)));
        var webhook = (await host.CreateAsync()).Webhook;
        var recorder = new HealthRecorder(
            host.Host.Services.GetRequiredService<WebhookStateChanges>(), host.Host.Services.GetRequiredService<NotificationDispatcher>(), host.Time, NullLogger.Instance);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref control.Gate, gate);
        recorder.Record(webhook, host.Time.GetUtcNow(), 500);
        await control.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (host, control, recorder, webhook, gate);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IWebhookStore.UpdateConfigAsync))
        {
            Interlocked.Increment(ref Writes);
            if ((_fail ? Volatile.Read(ref Gate) : Interlocked.Exchange(ref Gate, null)) is { } gate)
            {
                Entered.TrySetResult();
                return new ValueTask<WebhookConfig>(_fail
                    ? FailAfter(gate.Task)
                    : WriteAfter(gate.Task, (WebhookConfig)args![0]!, (long)args[1]!, (CancellationToken)args[2]!));
            }
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private static async Task<WebhookConfig> FailAfter(Task gate)
    {
        await gate.ConfigureAwait(false);
        throw new InvalidOperationException("The store is unavailable.");
    }

    private async Task<WebhookConfig> WriteAfter(Task gate, WebhookConfig config, long expectedGeneration, CancellationToken cancellationToken)
    {
        await gate.ConfigureAwait(false);
        return await _inner.UpdateConfigAsync(config, expectedGeneration, cancellationToken).ConfigureAwait(false);
    }
}
