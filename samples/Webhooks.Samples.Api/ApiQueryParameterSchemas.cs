using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Core.AspNetCore;

namespace Webhooks.Samples.Api;

/// <summary>
/// Types the management API's query parameters in the OpenAPI document (integers with their range, times, enum
/// names) from the <see cref="WebhookApiQueryParameter"/> metadata of its routes: the API binds them as text, to name
/// the parameter in its problems, so the document generator sees only strings.
/// </summary>
internal static class ApiQueryParameterSchemas
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var described = context.Description.ActionDescriptor.EndpointMetadata.OfType<WebhookApiQueryParameter>().ToDictionary(static p => p.Name, StringComparer.Ordinal);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && described.TryGetValue(parameter.Name!, out var query))
            {
                parameter.Schema = Schema(query);
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Schema(WebhookApiQueryParameter query) => new()
    {
        Type = query.Type == "integer" ? JsonSchemaType.Integer : JsonSchemaType.String,
        Format = query.Format,
        Minimum = query.Minimum?.ToString(CultureInfo.InvariantCulture),
        Maximum = query.Maximum?.ToString(CultureInfo.InvariantCulture),
        Default = query.Default is { } value ? JsonValue.Create(value) : null,
        Enum = query.AllowedValues.Count > 0 ? [.. query.AllowedValues.Select(static v => (JsonNode)v)] : null,
    };
}
