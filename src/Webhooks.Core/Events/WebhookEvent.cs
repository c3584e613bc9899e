using System.Buffers;
using System.Text;
using System.Text.Json;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>Something that happened in the host, to be delivered to the webhooks that subscribe to it.</summary>
public sealed record WebhookEvent
{
    private ReadOnlyMemory<byte> _data = "{}"u8.ToArray();

    // Whether _data is known to be JSON (the serializer wrote it), so publishing need not validate it again. Setting
    // Data, in an initializer or a `with` expression, clears it.
    private bool _dataIsJson = true;

    /// <summary>Gets the idempotency key: publishing the same id twice for a tenant creates no new messages.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the event type, for example <c>order.created</c> or <c>compute-ops/alert</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets when the event happened; <see langword="null"/> to use the publish time.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the tenant the event belongs to; <see langword="null"/> for the default tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the event data as UTF-8 JSON (an object, usually).</summary>
    public ReadOnlyMemory<byte> Data
    {
        get => _data;
        init
        {
            _data = value;
            _dataIsJson = false;
        }
    }

    /// <summary>Gets a value indicating whether <see cref="Data"/> was written by the serializer and is JSON for sure.</summary>
    internal bool DataIsKnownJson => _dataIsJson;

    /// <summary>Creates an event whose data is <paramref name="data"/> serialized to JSON.</summary>
    /// <typeparam name="T">The data type.</typeparam>
    /// <param name="id">The event id.</param>
    /// <param name="type">The event type.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for web defaults (camelCase).</param>
    public static WebhookEvent Create<T>(string id, string type, T data, JsonSerializerOptions? options = null) => new()
    {
        Id = id,
        Type = type,
        _data = JsonSerializer.SerializeToUtf8Bytes(data, options ?? JsonSerializerOptions.Web),
    };

    /// <summary>Creates an event from JSON text.</summary>
    /// <param name="id">The event id.</param>
    /// <param name="type">The event type.</param>
    /// <param name="json">The data as JSON text.</param>
    public static WebhookEvent FromJson(string id, string type, string json) => new()
    {
        Id = id,
        Type = type,
        Data = Encoding.UTF8.GetBytes(json),
    };

    /// <summary>The most characters an event's <see cref="Id"/>, <see cref="Type"/> and <see cref="TenantId"/> may have.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>
    /// Checks that the event can be published, as <see cref="IWebhookPublisher"/> does: an <see cref="Id"/> and a
    /// <see cref="Type"/> that are not blank; an id, type and tenant id of at most <see cref="MaxKeyLength"/> characters,
    /// with no control characters nor surrogates without their pair; and <see cref="Data"/> that is one JSON value, none
    /// of whose strings escapes half a surrogate pair (<c>"\ud800"</c> alone, which no filter can read). An outbox that
    /// keeps events to publish later calls it, so that a bad event fails its writer at once rather than its relay later.
    /// </summary>
    /// <exception cref="ArgumentException">A property is not valid; the message names it and says why.</exception>
    public void Validate()
    {
        ValidateKeys();
        ValidateData();
    }

    /// <summary>What an event whose <see cref="Data"/> is empty is told.</summary>
    internal const string EmptyDataProblem = "The event data is not valid JSON: it is empty (send null or {} for an event without data).";

    /// <summary>
    /// Checks that <see cref="Data"/> is one JSON value whose strings are text, unless the serializer wrote it. A string
    /// that escapes half a surrogate pair (<c>"\ud800"</c> alone) fits JSON's grammar but no string holds it: a filter that
    /// reads it fails, so such data is refused whatever the tenant's filters, and before an outbox stores it.
    /// </summary>
    /// <param name="syntaxChecked">Whether the data was parsed already (for a filter), so that only its strings are left to check.</param>
    /// <exception cref="ArgumentException">It is not.</exception>
    internal void ValidateData(bool syntaxChecked = false)
    {
        if (_dataIsJson)
        {
            return;
        }

        if (_data.IsEmpty)
        {
            throw new ArgumentException(EmptyDataProblem, "webhookEvent");
        }

        // JSON between systems is UTF-8 (RFC 8259 §8.1), and the reader does not look at the bytes inside strings: data
        // that is not would be signed and sent as it is, and fail a receiver that decodes it strictly.
        if (!System.Text.Unicode.Utf8.IsValid(_data.Span))
        {
            throw new ArgumentException($"The event data is not valid JSON: it is not UTF-8 (byte {FirstInvalidUtf8(_data.Span) + 1} starts no character).", "webhookEvent");
        }

        // Only a \u escape can stand for half a pair; most data has none, and the search is cheap.
        var hasUnicodeEscape = _data.Span.IndexOf("\\u"u8) >= 0;
        if (syntaxChecked && !hasUnicodeEscape)
        {
            return;
        }

        var reader = new Utf8JsonReader(_data.Span);
        try
        {
            // The reader refuses empty data and anything after the first value.
            while (reader.Read())
            {
                if (hasUnicodeEscape && reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    CheckText(ref reader);
                }
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The event data is not valid JSON: {ex.Message}", "webhookEvent", ex);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length;)
        {
            if (Rune.DecodeFromUtf8(data[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return data.Length;
    }

    private static void CheckText(ref Utf8JsonReader reader)
    {
        // Unescaped, a string is no longer than its escaped UTF-8.
        var length = reader.ValueSpan.Length;
        var rented = length > 256 ? ArrayPool<char>.Shared.Rent(length) : null;
        try
        {
            reader.CopyString(rented ?? stackalloc char[256]);
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException($"The event data is not valid JSON: {ex.Message} (at byte {reader.TokenStartIndex})", "webhookEvent", ex);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Checks the id, type and tenant id: what <see cref="Validate"/> checks but the data, which publishing checks as it writes it.</summary>
    internal void ValidateKeys()
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            throw new ArgumentException("The event has no id; the id is its idempotency key.", "webhookEvent");
        }

        if (string.IsNullOrWhiteSpace(Type))
        {
            throw new ArgumentException("The event has no type.", "webhookEvent");
        }

        ValidateKey(Id, "event id");
        ValidateKey(Type, "event type");
        if (TenantId is not null)
        {
            ValidateKey(TenantId, "event tenant id");
        }
    }

    // The subject is a constant: publishing checks three keys per event, and should make no string for a valid one.
    private static void ValidateKey(string value, string what)
    {
        if (KeyProblem(value, what) is { } problem)
        {
            throw new ArgumentException(problem, "webhookEvent");
        }
    }

    /// <summary>Says what is wrong with a key an event carries (too long, a control character, a lone surrogate), or <see langword="null"/>.</summary>
    /// <param name="value">The key.</param>
    /// <param name="what">What it is, for the message: <c>event id</c>, <c>tenant id</c>.</param>
    internal static string? KeyProblem(string value, string what)
    {
        if (value.Length > MaxKeyLength)
        {
            return $"The {what} is {value.Length} characters long; at most {MaxKeyLength} are allowed.";
        }

        // C0 controls, DEL and the C1 controls. A plain loop: keys are short, and the generic span search allocates until
        // the JIT has compiled it for char.
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return $"The {what} has a control character (U+{(int)value[i]:X4}) at character {i + 1}; it may have none.";
            }
        }

        // No UTF-8, so neither JSON nor PostgreSQL, can carry a surrogate without its pair.
        return Utf16Text.IndexOfLoneSurrogate(value) is >= 0 and var at
            ? $"The {what} has {Utf16Text.DescribeLoneSurrogate(value[at])} at character {at + 1}; it may have none."
            : null;
    }

    /// <summary>Compares the event's properties; <see cref="Data"/> by the memory it refers to (the same array and range), not by its bytes.</summary>
    /// <param name="other">The event to compare with.</param>
    /// <returns><see langword="true"/> when every property is equal.</returns>
    public bool Equals(WebhookEvent? other) => ReferenceEquals(this, other) || (other is not null
        && string.Equals(Id, other.Id, StringComparison.Ordinal)
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && Nullable.Equals(Timestamp, other.Timestamp)
        && string.Equals(TenantId, other.TenantId, StringComparison.Ordinal)
        && _data.Equals(other._data));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Type, Timestamp, TenantId, _data);
}
