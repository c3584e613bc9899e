using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Serializes the API's bodies with camelCase names whatever JSON options the host uses.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(WebhookPageResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(MessagePageResponse))]
[JsonSerializable(typeof(RecoverResponse))]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(string))]
internal sealed partial class WebhookApiJsonContext : JsonSerializerContext;
