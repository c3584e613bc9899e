using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// Turns create and merge-patch bodies into <see cref="WebhookDefinition"/> and <see cref="WebhookUpdate"/>,
/// naming every wrong or unknown field. Field names match case-insensitively.
/// </summary>
internal static class WebhookRequestReader
{
    private const string Writable = "name, url, eventTypes, eventFilter, headers, state, isDefault, verificationMode";

    private static readonly string[] _writableFields = ["name", "url", "eventTypes", "eventFilter", "headers", "state", "isDefault", "verificationMode"];

    // Fields of the GET answer; a patch may carry them back unchanged, so they are ignored there, but not changed.
    private static readonly string[] _readOnlyFields = ["id", "tenantId", "status", "statusReason", "createdAt", "updatedAt"];

    private static readonly string[] _knownFields = [.. _writableFields, .. _readOnlyFields, "generation"];

    public static WebhookDefinition? ReadCreate(JsonElement body, string? tenantId, List<ValidationProblem> problems)
    {
        var reader = new JsonFieldReader(problems);
        var definition = new WebhookDefinition { Url = string.Empty, TenantId = tenantId };
        var hasUrl = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var field = Canonical(property.Name);
            if (!FirstTime(seen, field, reader))
            {
                continue;
            }

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null && field is "name" or "eventTypes" or "eventFilter" or "headers" or "isDefault" or "verificationMode")
            {
                continue;
            }

            switch (field)
            {
                case "name": definition = definition with { Name = reader.String(value, field) ?? string.Empty }; break;
                case "url": hasUrl = true; definition = definition with { Url = reader.String(value, field) ?? string.Empty }; break;
                case "eventTypes": definition = definition with { EventTypes = reader.StringList(value, field) ?? [] }; break;
                case "eventFilter": definition = definition with { EventFilter = reader.String(value, field) }; break;
                case "headers": definition = definition with { Headers = NonNull(reader.Headers(value, field, allowNullValues: false)) }; break;
                case "state": definition = definition with { State = reader.Enum<WebhookState>(value, field) ?? WebhookState.Enabled }; break;
                case "isDefault": definition = definition with { IsDefault = reader.Boolean(value, field) ?? false }; break;
                case "verificationMode": definition = definition with { VerificationMode = reader.Enum<VerificationMode>(value, field) }; break;
                default: reader.Problem(field, Unknown(field)); break;
            }
        }

        if (!hasUrl)
        {
            reader.Problem("url", "The URL is required.");
        }

        return reader.HasProblems ? null : definition;
    }

    public static (WebhookUpdate Update, long? Generation)? ReadPatch(JsonElement body, WebhookConfig current, List<ValidationProblem> problems)
    {
        var reader = new JsonFieldReader(problems);
        var update = new WebhookUpdate();
        long? generation = null;
        List<ValidationProblem>? systemSet = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var field = Canonical(property.Name);
            if (!FirstTime(seen, field, reader))
            {
                continue;
            }

            var value = property.Value;
            var isNull = value.ValueKind == JsonValueKind.Null;
            switch (field)
            {
                case "name": update = update with { Name = isNull ? string.Empty : reader.String(value, field) }; break;
                case "url" when isNull: reader.Problem(field, "The URL cannot be removed."); break;
                case "url": update = update with { Url = reader.String(value, field) }; break;
                case "eventTypes": update = update with { EventTypes = isNull ? [] : reader.StringList(value, field) }; break;
                case "eventFilter": update = update with { EventFilter = isNull ? string.Empty : reader.String(value, field) }; break;
                case "headers": update = update with { Headers = MergeHeaders(current.Headers, isNull ? new() : reader.Headers(value, field, allowNullValues: true), isNull) }; break;
                case "state" when isNull: reader.Problem(field, $"The state cannot be removed; use one of {ApiEnum<WebhookState>.AllowedValues}."); break;
                case "state": update = update with { State = reader.Enum<WebhookState>(value, field) }; break;
                case "isDefault": update = update with { IsDefault = !isNull && (reader.Boolean(value, field) ?? false) }; break;
                case "verificationMode" when isNull: reader.Problem(field, $"The verification mode cannot be removed; use one of {ApiEnum<VerificationMode>.AllowedValues}."); break;
                case "verificationMode": update = update with { VerificationMode = reader.Enum<VerificationMode>(value, field) }; break;
                case "generation": generation = isNull ? null : reader.Int64(value, field); break;
                case "id" when !IsString(value, current.Id): reader.Problem(field, "The id cannot be changed."); break;
                case "tenantId" when !IsOptionalString(value, current.TenantId): reader.Problem(field, "The tenant cannot be changed; it is the caller's."); break;
                case "createdAt" when !IsInstant(value, current.CreatedAt): reader.Problem(field, "The creation time cannot be changed."); break;
                case "status" when !IsString(value, ApiEnum<WebhookStatus>.Format(current.Status)):
                    (systemSet ??= []).Add(new(field, "The status is set by the system; change the state instead, for example \"state\": \"DISABLED\"."));
                    break;
                case "statusReason" when !IsOptionalString(value, current.StatusReason):
                    (systemSet ??= []).Add(new(field, "The status reason is set by the system; leave it out, or send it back as read."));
                    break;
                case "updatedAt" when !IsInstant(value, current.UpdatedAt):
                    (systemSet ??= []).Add(new(field, "The update time is set by the system; leave it out, or send it back as read."));
                    break;
                default:
                    if (Array.IndexOf(_readOnlyFields, field) < 0)
                    {
                        reader.Problem(field, Unknown(field));
                    }

                    break;
            }
        }

        // The system changes these as deliveries go: a copy read before the last change carries its older values. When
        // its generation says so, the update answers that conflict; otherwise they are a change the patch cannot make.
        if (generation is null || generation == current.Generation)
        {
            foreach (var problem in systemSet ?? [])
            {
                reader.Problem(problem.Field, problem.Message);
            }
        }

        return reader.HasProblems ? null : (update, generation);
    }

    /// <summary>Applies a merge patch to the stored headers; returns <see langword="null"/> when nothing changes.</summary>
    private static IReadOnlyDictionary<string, string>? MergeHeaders(IReadOnlyDictionary<string, string> current, Dictionary<string, string?>? patch, bool removeAll)
    {
        if (patch is null)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!removeAll)
        {
            foreach (var (name, value) in current)
            {
                merged[name] = value;
            }
        }

        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                merged.Remove(name);
            }
            else
            {
                merged[name] = value;
            }
        }

        var unchanged = merged.Count == current.Count
            && merged.All(h => current.TryGetValue(h.Key, out var old) && string.Equals(old, h.Value, StringComparison.Ordinal));
        return unchanged ? null : merged;
    }

    private static Dictionary<string, string>? NonNull(Dictionary<string, string?>? headers) =>
        headers?.ToDictionary(static h => h.Key, static h => h.Value ?? string.Empty, StringComparer.OrdinalIgnoreCase);

    /// <summary>Notes a field; one given twice (in any case) is a problem, as which of the two counts would be a guess.</summary>
    private static bool FirstTime(HashSet<string> seen, string field, JsonFieldReader reader)
    {
        if (seen.Add(field))
        {
            return true;
        }

        reader.Problem(field, "The field is given twice.");
        return false;
    }

    private static string Canonical(string name)
    {
        foreach (var known in _knownFields)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return name;
    }

    private static bool IsString(JsonElement value, string expected) =>
        value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), expected, StringComparison.OrdinalIgnoreCase);

    private static bool IsOptionalString(JsonElement value, string? expected) => value.ValueKind switch
    {
        JsonValueKind.Null => expected is null,
        JsonValueKind.String => string.Equals(value.GetString(), expected, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Whether the value is a time at the same instant as <paramref name="expected"/>, in whatever offset.</summary>
    private static bool IsInstant(JsonElement value, DateTimeOffset expected) =>
        value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) && time == expected;

    private static string Unknown(string field) =>
        Array.IndexOf(_readOnlyFields, field) >= 0 || field == "generation"
            ? $"The field is read-only. Writable fields: {Writable}."
            : $"Unknown field. Writable fields: {Writable}.";
}
