using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.DependencyInjection;

/// <summary>
/// The options bound by the host from configuration (<c>appsettings.json</c>), as hosts bind options: the SSRF guard's
/// allow-lists are written there as text, and an entry that is not an address or network stops the start naming it.
/// </summary>
public sealed class WebhooksOptionsBindingTests
{
    [TestCase("Configure")]
    [TestCase("Bind, ErrorOnUnknownConfiguration")]
    public void Bind_AllowListsFromConfiguration_TheGuardAllowsThemAndNoOthers(string binding)
    {
        var services = Bound(binding, new()
        {
            ["Webhooks:Http:AllowedAddresses:0"] = "10.0.0.5",
            ["Webhooks:Http:AllowedAddresses:1"] = "fd00::5",
            ["Webhooks:Http:AllowedNetworks:0"] = "192.168.0.0/16",
            ["Webhooks:Http:AllowedNetworks:1"] = "fd01::/16",
        });
        using var provider = services.BuildServiceProvider();

        var guard = new EndpointConnector(provider.GetRequiredService<IOptions<WebhooksOptions>>().Value.Http);

        Assert.Multiple(() =>
        {
            foreach (var allowed in new[] { "10.0.0.5", "fd00::5", "192.168.3.4", "fd01:2::1", "::ffff:10.0.0.5" })
            {
                Assert.That(guard.IsAllowed(IPAddress.Parse(allowed)), Is.True, allowed);
            }

            foreach (var refused in new[] { "10.0.0.6", "fd00::6", "172.16.0.1", "fd02::1" })
            {
                Assert.That(guard.IsAllowed(IPAddress.Parse(refused)), Is.False, refused);
            }
        });
    }

    // An entry the binder could not convert was dropped without a word: the guard then refused the address the host
    // meant to allow, and every delivery to it failed.
    [TestCase("AllowedAddresses", "nope", "must be an IP address")]
    [TestCase("AllowedAddresses", "10.0.0.0/8", "must be an IP address")]
    [TestCase("AllowedAddresses", "10.1", "must be an IP address")] // read as 10.0.0.1
    [TestCase("AllowedAddresses", "010.0.0.5", "must be an IP address")] // read as octal, 8.0.0.5
    [TestCase("AllowedAddresses", " 10.0.0.5", "must be an IP address")]
    [TestCase("AllowedAddresses", "[fd00::5]:8443", "must be an IP address")] // the port would be dropped: every port allowed
    [TestCase("AllowedAddresses", "[fd00::5]", "must be an IP address")]
    [TestCase("AllowedAddresses", "fe80::1%2", "must be an IP address")]
    [TestCase("AllowedNetworks", "[fd00::]/8", "must be a network in CIDR notation")]
    [TestCase("AllowedAddresses", "", "must be an IP address")]
    [TestCase("AllowedNetworks", "10.0.0.5", "must be a network in CIDR notation")]
    [TestCase("AllowedNetworks", "10.0.0.0/33", "must be a network in CIDR notation")]
    [TestCase("AllowedNetworks", "10.0.0.1/8", "must be a network in CIDR notation")]
    [TestCase("AllowedNetworks", "010.0.0.0/8", "must be a network in CIDR notation")]
    [TestCase("AllowedNetworks", "fd00::/129", "must be a network in CIDR notation")]
    public void Start_AllowListEntryThatIsNoAddressOrNetwork_FailsNamingTheFieldItsPositionAndTheValue(string field, string value, string problem)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Http:AllowedAddresses:0"] = "10.0.0.5",
            ["Webhooks:Http:AllowedNetworks:0"] = "10.0.0.0/8",
            [$"Webhooks:Http:{field}:1"] = value,
        });
        builder.Services.AddWebhooks();
        builder.Services.Configure<WebhooksOptions>(builder.Configuration.GetSection("Webhooks"));
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain($"Http.{field}[1] ('{value}') {problem}"));
        Assert.That(error.Message, Does.Not.Contain("[0]"), "the valid entries pass");
    }

    private static ServiceCollection Bound(string binding, Dictionary<string, string?> values)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Webhooks");
        var services = new ServiceCollection();
        services.AddWebhooks();
        _ = binding == "Configure"
            ? services.Configure<WebhooksOptions>(section)
            : services.AddOptions<WebhooksOptions>().Bind(section, static o => o.ErrorOnUnknownConfiguration = true).Services;
        return services;
    }
}
