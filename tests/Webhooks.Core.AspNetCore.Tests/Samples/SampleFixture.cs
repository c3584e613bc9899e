namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>Both samples, started once per fixture.</summary>
public abstract class SampleFixture
{
    internal SampleHosts Samples { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartSamples()
    {
        Samples = await SampleHosts.StartAsync();
        Started();
    }

    [OneTimeTearDown]
    public async Task StopSamples() => await Samples.DisposeAsync();

    /// <summary>Prepares the samples for the fixture's tests.</summary>
    protected virtual void Started()
    {
    }
}
