using System.Text.Json.Serialization;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Serialization of the JSON columns, generated at compile time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConfigDocument))]
[JsonSerializable(typeof(AttemptDocument))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
