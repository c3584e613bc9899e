using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <summary>
/// The conformance suite for <see cref="IWebhookStore"/> implementations. Derive an NUnit fixture from it and return a
/// new, empty store from <see cref="CreateStoreAsync"/>; a store that passes every test works with Webhooks.Core.
/// </summary>
/// <remarks>
/// <para>
/// Every test gets a store of its own and passes explicit times (whole seconds from 2026-01-01T12:00:00Z), so no clock
/// is read and the results are deterministic. Messages are only enqueued for configs that exist, so stores that keep
/// foreign keys pass. The concurrency tests run several callers in parallel and check outcomes, never timings.
/// </para>
/// <para>
/// Where the contract leaves a choice open (the order of messages created at the same time, what a lease does between
/// its expiry and the next claim), the suite does not test it.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class MyStoreConformanceTests : WebhookStoreConformanceTests
/// {
///     protected override Task&lt;IWebhookStore&gt; CreateStoreAsync() =&gt; Task.FromResult&lt;IWebhookStore&gt;(new MyStore());
/// }
/// </code>
/// </example>
public abstract partial class WebhookStoreConformanceTests
{
    private IWebhookStore? _store;

    /// <summary>Gets the store of the running test.</summary>
    /// <exception cref="InvalidOperationException">No test is running.</exception>
    protected IWebhookStore Store => _store ?? throw new InvalidOperationException("The store exists only while a test runs.");

    /// <summary>Creates the store of the test about to run: new and empty. Called before every test.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IWebhookStore> CreateStoreAsync();

    /// <summary>
    /// Releases the store of a test that ran. The default disposes it when it is <see cref="IAsyncDisposable"/> or
    /// <see cref="IDisposable"/>.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <returns>A task that completes when the store is released.</returns>
    protected virtual async Task DisposeStoreAsync(IWebhookStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>Creates the store of the test about to run.</summary>
    /// <returns>A task that completes when the store exists.</returns>
    [SetUp]
    public async Task CreateStoreForTestAsync() => _store = await CreateStoreAsync();

    /// <summary>Releases the store of the test that ran.</summary>
    /// <returns>A task that completes when the store is released.</returns>
    [TearDown]
    public async Task DisposeStoreForTestAsync()
    {
        if (_store is { } store)
        {
            _store = null;
            await DisposeStoreAsync(store);
        }
    }
}
