namespace Webhooks.Core.AspNetCore.Tests.Management;

/// <summary>One API host per fixture; the engine substitutes are reset before each test.</summary>
public abstract class ApiFixture
{
    internal ApiHost Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartHost() => Api = await ApiHost.StartAsync(Configure);

    [OneTimeTearDown]
    public async Task StopHost() => await Api.DisposeAsync();

    [SetUp]
    public void ResetEngine()
    {
        Api.Reset();
        Arrange();
    }

    /// <summary>Configures the API of the fixture.</summary>
    protected virtual void Configure(WebhookApiOptions options)
    {
    }

    /// <summary>Sets up the engine substitutes before each test.</summary>
    protected virtual void Arrange()
    {
    }
}
