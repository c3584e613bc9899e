using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Writes and reads an enum by its <see cref="ApiEnum{TEnum}"/> wire name.</summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
internal sealed class ApiEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ApiEnum<TEnum>.TryParse(text, out var value)
            ? value
            : throw new JsonException($"Expected one of {ApiEnum<TEnum>.AllowedValues}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ApiEnum<TEnum>.Format(value));
    }
}
