using System.Text.Json.Nodes;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>The sample's OpenAPI document, generated from the management API's route metadata.</summary>
public sealed class SampleApiOpenApiTests : SampleFixture
{
    [Test]
    public async Task OpenApiDocument_DescribesEveryManagementOperationWithItsAnswers()
    {
        var document = await DocumentAsync();

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Id: (string)op.Value!["operationId"]!, Responses: op.Value!["responses"]!.AsObject().Select(r => r.Key).ToArray())))
            .ToDictionary(op => op.Id, op => op.Responses);
        Assert.Multiple(() =>
        {
            Assert.That(operations.Keys, Is.SupersetOf(new[]
            {
                "CreateWebhook", "ListWebhooks", "GetWebhook", "UpdateWebhook", "DeleteWebhook", "TestWebhook", "RotateWebhookSecret",
                "ListWebhookMessages", "GetWebhookMessage", "RetryWebhookMessage", "CancelWebhookMessage", "RecoverWebhookMessages",
            }));
            Assert.That(operations["CreateWebhook"], Is.SupersetOf(new[] { "201", "400", "409" }));
            Assert.That(operations["UpdateWebhook"], Is.SupersetOf(new[] { "200", "400", "404", "409", "429" }));
            Assert.That(operations["GetWebhookMessage"], Is.SupersetOf(new[] { "200", "404" }));
            Assert.That(operations["RetryWebhookMessage"], Is.SupersetOf(new[] { "200", "404", "409" }));
            Assert.That(operations["CancelWebhookMessage"], Is.SupersetOf(new[] { "200", "404", "409" }));
        });
    }

    [Test]
    public async Task OpenApiDocument_EnumsAreTheStringsTheApiWrites()
    {
        var document = await DocumentAsync();
        var created = await Samples.CreateWebhookAsync("openapi", verificationMode: "TEST_EVENT");

        var schemas = document["components"]!["schemas"]!;
        string[] Values(string schema) => [.. schemas[schema]!["enum"]!.AsArray().Select(v => (string)v!)];
        Assert.Multiple(() =>
        {
            Assert.That(Values("WebhookState"), Is.EqualTo(new[] { "ENABLED", "DISABLED" }));
            Assert.That(Values("WebhookStatus"), Is.EqualTo(new[] { "PENDING", "ACTIVE", "WARNING", "ERROR", "DISABLED" }));
            Assert.That(Values("MessageStatus"), Does.Contain("RETRYING").And.Contain("CANCELLED"));
            Assert.That(Values("VerificationMode"), Does.Contain((string)created["verificationMode"]!));
            Assert.That(Values("WebhookState"), Does.Contain((string)created["state"]!));
            Assert.That(Values("WebhookStatus"), Does.Contain((string)created["status"]!));
        });
    }

    [Test]
    public async Task OpenApiDocument_QueryParametersAreTypedAsTheApiReadsThem()
    {
        var document = await DocumentAsync();

        var queries = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value!))
            .Where(op => (string)op["operationId"]! is "ListWebhooks" or "ListWebhookMessages")
            .SelectMany(op => op["parameters"]!.AsArray().Where(p => (string)p!["in"]! == "query").Select(p => (Key: $"{op["operationId"]} {p!["name"]}", Parameter: p!)))
            .ToDictionary(p => p.Key, p => p.Parameter);
        void SchemaIs(string key, string expected)
        {
            var schema = queries[key]["schema"];
            Assert.That(JsonNode.DeepEquals(schema, JsonNode.Parse(expected)), Is.True, $"{key}: {schema?.ToJsonString()}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(queries.Keys, Has.Count.EqualTo(14));
            Assert.That(queries.Values.Select(p => (string?)p["description"]), Is.All.Not.Empty);
            SchemaIs("ListWebhooks limit", """{"maximum":100,"minimum":1,"type":"integer","format":"int32","default":50}""");
            SchemaIs("ListWebhookMessages offset", """{"minimum":0,"type":"integer","format":"int32","default":0}""");
            SchemaIs("ListWebhookMessages createdFrom", """{"type":"string","format":"date-time"}""");
            SchemaIs("ListWebhooks status", """{"enum":["PENDING","ACTIVE","WARNING","ERROR","DISABLED"],"type":"string"}""");
            SchemaIs("ListWebhookMessages status", """{"enum":["CREATED","RETRYING","SUCCESS","FAILED","CANCELLED"],"type":"string"}""");
            SchemaIs("ListWebhookMessages eventType", """{"type":"string"}""");
            SchemaIs("ListWebhookMessages after", """{"type":"string"}""");
            SchemaIs("ListWebhooks after", """{"type":"string"}""");
        });
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var response = await Samples.Api.Client.GetAsync("/openapi/v1.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
