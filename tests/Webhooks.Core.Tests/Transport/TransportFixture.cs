using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Transport;

/// <summary>Gives each test a fresh <see cref="TransportHarness"/> (a receiver and transports built as a host builds them).</summary>
public abstract class TransportFixture
{
    private TransportHarness? _harness;

    internal TransportHarness Harness => _harness ?? throw new InvalidOperationException("The harness starts in SetUp.");

    protected TestWebhookReceiver Receiver => Harness.Receiver;

    [SetUp]
    public async Task StartHarness() => _harness = await TransportHarness.StartAsync();

    [TearDown]
    public async Task StopHarness()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
