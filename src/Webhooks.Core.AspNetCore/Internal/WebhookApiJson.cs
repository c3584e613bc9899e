using System.Text.Encodings.Web;
using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The serializer options of the API's bodies: camelCase whatever the host configured, source-generated metadata,
/// and no escaping of '+' or other characters that JSON allows, so a secret can be copied as shown.
/// </summary>
internal static class WebhookApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = WebhookApiJsonContext.Default,

        // A message's payload is written inside the message's object: the default of 64 levels failed the answer.
        MaxDepth = MessageResponse.PayloadMaxDepth + 1,
    };
}
