using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Webhooks.Core.AspNetCore.Tests.Management;

/// <summary>The listing routes' <see cref="WebhookApiQueryParameter"/> metadata says what the API accepts, value for value.</summary>
public sealed class WebhookApiQueryParameterTests : ApiFixture
{
    private static readonly string[] Listings = ["ListWebhooks", "ListWebhookMessages"];

    // Not the defaults, so that the metadata is seen to follow the options.
    protected override void Configure(WebhookApiOptions options)
    {
        options.MaxPageSize = 70;
        options.DefaultPageSize = 20;
    }

    protected override void Arrange()
    {
        Api.Holds("wh_1", "acme");
        Api.Endpoints.ListAsync(Arg.Any<WebhookConfigQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<WebhookConfig>([], 0, 0, 1));
        Api.Log.ListAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<DeliveryMessage>([], 0, 0, 1));
    }

    [Test]
    public void Listings_DescribeTheirQueryParameters_WithTheConfiguredPageSizes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Parameters("ListWebhooks").Select(p => p.Name), Is.EquivalentTo(new[] { "state", "status", "after", "createdFrom", "createdTo", "offset", "limit" }));
            Assert.That(Parameters("ListWebhookMessages").Select(p => p.Name), Is.EquivalentTo(new[] { "status", "eventType", "after", "createdFrom", "createdTo", "offset", "limit" }));
            Assert.That(Parameters("ListWebhooks").Single(p => p.Name == "limit"), Is.EqualTo(new WebhookApiQueryParameter
            {
                Name = "limit", Type = "integer", Format = "int32", Minimum = 1, Maximum = 70, Default = 20,
            }));
            Assert.That(Parameters("ListWebhooks").Single(p => p.Name == "state").AllowedValues, Is.EqualTo(new[] { "ENABLED", "DISABLED" }));
            Assert.That(Parameters("ListWebhookMessages").Single(p => p.Name == "status").AllowedValues, Is.EqualTo(new[] { "CREATED", "RETRYING", "SUCCESS", "FAILED", "CANCELLED" }));
        });
    }

    [TestCaseSource(nameof(Listings))]
    public async Task Listing_AcceptsEveryValueItsMetadataAllows_AndRefusesTheNextOneOut(string listing)
    {
        foreach (var parameter in Parameters(listing))
        {
            foreach (var value in Allowed(parameter))
            {
                using var accepted = await GetAsync(listing, parameter.Name, value);
                Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{parameter.Name}={value}: {await accepted.Content.ReadAsStringAsync()}");
            }

            foreach (var value in Refused(parameter))
            {
                using var refused = await GetAsync(listing, parameter.Name, value);
                var errors = (await refused.ReadProblemAsync(400))["errors"]!.AsObject();
                Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { parameter.Name }), $"{parameter.Name}={value}");
            }
        }
    }

    private static IEnumerable<string> Allowed(WebhookApiQueryParameter parameter) => parameter switch
    {
        { Type: "integer" } => [$"{parameter.Minimum}", $"{parameter.Maximum ?? int.MaxValue}", $"{parameter.Default}"],
        { Format: "date-time" } => ["2025-01-31T08:00:00Z", "2025-01-31T08:00:00+01:00"],
        { AllowedValues.Count: > 0 } => parameter.AllowedValues,
        { Name: "after" } => [ThePositionOf(Sample.Message("msg_1", "wh_1"))],
        _ => ["anything.at-all"],
    };

    // A position as the API writes a page's next (MessageHandlersTests takes one from a page and back).
    private static string ThePositionOf(DeliveryMessage message) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"{message.CreatedAt.UtcTicks}:{message.Id}"));

    private static IEnumerable<string> Refused(WebhookApiQueryParameter parameter) => parameter switch
    {
        { Type: "integer" } => [$"{parameter.Minimum - 1}", "ten", .. parameter.Maximum is { } max ? [$"{max + 1}"] : Array.Empty<string>()],
        { Format: "date-time" } => ["yesterday"],
        { AllowedValues.Count: > 0 } => ["NOT_ONE_OF_THEM"],
        { Name: "after" } => ["anything.at-all"],
        _ => [],
    };

    private Task<HttpResponseMessage> GetAsync(string listing, string name, string value)
    {
        var path = listing == "ListWebhooks" ? "/webhooks" : "/webhooks/wh_1/messages";
        return Api.Client.SendAsync(Http.Request(HttpMethod.Get, $"{path}?{name}={Uri.EscapeDataString(value)}", "acme"));
    }

    private WebhookApiQueryParameter[] Parameters(string listing) =>
    [
        .. Api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == listing)
            .Metadata.OfType<WebhookApiQueryParameter>(),
    ];
}
