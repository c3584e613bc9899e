using System.Text.Json.Serialization;

namespace Webhooks.Core.Internal;

/// <summary>The data of a <c>webhook.test</c> event.</summary>
internal sealed record TestEventData([property: JsonPropertyName("webhookId")] string WebhookId);

/// <summary>Source-generated serialization of <see cref="TestEventData"/>.</summary>
[JsonSerializable(typeof(TestEventData))]
internal sealed partial class TestEventJsonContext : JsonSerializerContext;
