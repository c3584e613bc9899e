using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// What the receivers of one application (every <c>MapWebhookReceiver</c> and <c>RequireWebhookSignature</c>) share to
/// refuse replays. The signature does not cover the URL, so a delivery one route accepted is a replay to every other
/// route holding the same secret: the in-process guard is one for the application, as large as the largest
/// <see cref="WebhookReceiverOptions.ReplayCacheSize"/> asked for, and a delivery is remembered for as long as the
/// route with the longest tolerance would accept it.
/// </summary>
internal sealed class ReplayProtection
{
    // One per application, held as long as its services. Keyed by their scope factory, a singleton: the provider a
    // route builder gives (app.Services) and the one controllers' endpoints get (the root scope) are different objects.
    private static readonly ConditionalWeakTable<object, ReplayProtection> ByApplication = [];

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private ReplayCache? _cache;
    private long _longestToleranceTicks;

    private ReplayProtection(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Gets the longest tolerance of the application's receivers.</summary>
    public TimeSpan LongestTolerance => TimeSpan.FromTicks(Volatile.Read(ref _longestToleranceTicks));

    /// <summary>Returns the application's replay protection.</summary>
    /// <param name="services">The application's services.</param>
    public static ReplayProtection For(IServiceProvider services) =>
        ByApplication.GetValue(
            services.GetService<IServiceScopeFactory>() ?? (object)services,
            _ => new ReplayProtection(services.GetService<TimeProvider>() ?? TimeProvider.System));

    /// <summary>
    /// Counts a receiver's tolerance in, and returns its guard: the one in its options, else the one registered as a
    /// service, else the application's in-process one (grown to the receiver's size if it asks for more).
    /// </summary>
    /// <param name="options">The receiver's options.</param>
    /// <param name="services">The application's services.</param>
    public IWebhookReplayGuard Join(WebhookReceiverOptions options, IServiceProvider services)
    {
        lock (_gate)
        {
            Volatile.Write(ref _longestToleranceTicks, Math.Max(_longestToleranceTicks, options.Tolerance.Ticks));
            if ((options.ReplayGuard ?? services.GetService<IWebhookReplayGuard>()) is { } guard)
            {
                return guard;
            }

            _cache ??= new ReplayCache(options.ReplayCacheSize, _timeProvider);
            _cache.GrowTo(options.ReplayCacheSize);
            return _cache;
        }
    }
}
