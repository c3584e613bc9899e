using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Reads a verified Standard Webhooks body: <c>{"type": …, "timestamp": …, "data": …}</c>.</summary>
internal static class ReceivedEventReader
{
    /// <summary>
    /// Returns the event, or <see langword="null"/> with the reason when the body is not such an object and
    /// <paramref name="requireEvent"/> holds; otherwise a body that is not an event is handed over as it is, with an
    /// empty type and, when it is JSON, the whole of it as the data.
    /// </summary>
    public static ReceivedWebhookEvent? Read(string id, DateTimeOffset signedAt, ReadOnlyMemory<byte> body, bool requireEvent, out string? error)
    {
        if (Parse(body, out error) is not { } root)
        {
            return requireEvent ? null : Unshaped(id, signedAt, body, default, out error);
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 } typeName)
        {
            error = "The body must be a JSON object with a string \"type\".";
            return requireEvent ? null : Unshaped(id, signedAt, body, root, out error);
        }

        DateTimeOffset? timestamp = root.TryGetProperty("timestamp", out var time) && time.ValueKind == JsonValueKind.String && time.TryGetDateTimeOffset(out var parsed)
            ? parsed
            : null;
        error = null;
        return new ReceivedWebhookEvent
        {
            Id = id,
            SignedAt = signedAt,
            Type = typeName,
            Timestamp = timestamp,
            Data = root.TryGetProperty("data", out var data) ? data : default,
            Body = body,
        };
    }

    /// <summary>The body as JSON whose text is all valid Unicode, or <see langword="null"/> with the reason.</summary>
    private static JsonElement? Parse(ReadOnlyMemory<byte> body, out string? error)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            error = $"The body is not valid JSON: {exception.Message}";
            return null;
        }

        if (JsonText.FindUndecodable(root) is { } path)
        {
            error = $"The body holds text that is not valid Unicode at '{path}'.";
            return null;
        }

        error = null;
        return root;
    }

    private static ReceivedWebhookEvent Unshaped(string id, DateTimeOffset signedAt, ReadOnlyMemory<byte> body, JsonElement data, out string? error)
    {
        error = null;
        return new ReceivedWebhookEvent { Id = id, SignedAt = signedAt, Type = string.Empty, Data = data, Body = body };
    }
}
