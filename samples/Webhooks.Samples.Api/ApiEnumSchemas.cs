using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Core;

namespace Webhooks.Samples.Api;

/// <summary>
/// Describes the management API's enums in the OpenAPI document as the API writes them: strings in UPPER_SNAKE_CASE
/// (<c>ENABLED</c>, <c>TEST_EVENT</c>), which the document generator cannot see through the API's own converters.
/// </summary>
internal static class ApiEnumSchemas
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.IsEnum && type.Assembly == typeof(WebhookState).Assembly)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Enum.GetNames(type).Select(static name => (JsonNode)JsonNamingPolicy.SnakeCaseUpper.ConvertName(name))];
        }

        return Task.CompletedTask;
    }
}
