using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Webhooks.Core.Tests.Engine;

/// <summary>An <see cref="IWebhookStore"/> that runs a test's hook before each call reaches the real store: to fail a call, or to slip another writer's change in before it.</summary>
public class InterceptedStore : DispatchProxy
{
    private IWebhookStore _inner = null!;
    private Action<string, object?[]> _before = null!;
    private Action<string, object?[], object?>? _after;

    /// <summary>
    /// Wraps <paramref name="inner"/>; <paramref name="before"/> gets each call's method name and arguments, and may
    /// throw; <paramref name="after"/> gets them with what the call returned.
    /// </summary>
    public static IWebhookStore Create(IWebhookStore inner, Action<string, object?[]> before, Action<string, object?[], object?>? after = null)
    {
        var store = Create<IWebhookStore, InterceptedStore>();
        var proxy = (InterceptedStore)(object)store;
        (proxy._inner, proxy._before, proxy._after) = (inner, before, after);
        return store;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _before(targetMethod!.Name, args ?? []);
        try
        {
            var result = targetMethod.Invoke(_inner, args);
            _after?.Invoke(targetMethod.Name, args ?? [], result);
            return result;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
