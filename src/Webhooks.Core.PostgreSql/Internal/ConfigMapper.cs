using System.Text.Json;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Turns configs into rows and back, protecting headers and secret keys on the way.</summary>
internal sealed class ConfigMapper(IWebhookSecretProtector? protector)
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns = "id, tenant_id, state, status, is_default, created_at, updated_at, generation, body::text";

    public string SerializeBody(WebhookConfig config)
    {
        string? headers = null;
        if (config.Headers.Count > 0)
        {
            var plain = JsonSerializer.Serialize(new Dictionary<string, string>(config.Headers), StoreJsonContext.Default.DictionaryStringString);
            headers = Protect(plain);
        }

        var document = new ConfigDocument
        {
            Name = config.Name,
            Url = config.Url,
            EventTypes = config.EventTypes,
            EventFilter = config.EventFilter,
            Headers = headers,
            Secrets = [.. config.Secrets.Select(s => new SecretDocument { Key = Protect(s.Key), CreatedAt = s.CreatedAt, ExpiresAt = s.ExpiresAt })],
            // Worded with a transport's error text at times (a failed test event); jsonb refuses U+0000 even escaped.
            StatusReason = StoredText.Cleaned(config.StatusReason),
            VerificationMode = config.VerificationMode,
            Health = new HealthDocument
            {
                Failures = config.Health.Failures,
                Count = config.Health.Count,
                ConsecutiveFailures = config.Health.ConsecutiveFailures,
                ConsecutiveSuccesses = config.Health.ConsecutiveSuccesses,
            },
            EnabledAt = config.EnabledAt,
            DefaultClaimedAt = config.DefaultClaimedAt,
        };
        return JsonSerializer.Serialize(document, StoreJsonContext.Default.ConfigDocument);
    }

    public WebhookConfig Read(NpgsqlDataReader reader)
    {
        var document = JsonSerializer.Deserialize(reader.GetString(8), StoreJsonContext.Default.ConfigDocument)
            ?? throw new InvalidOperationException("A stored config has an empty body.");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (document.Headers is { } protectedHeaders)
        {
            var plain = JsonSerializer.Deserialize(Unprotect(protectedHeaders), StoreJsonContext.Default.DictionaryStringString);
            foreach (var (name, value) in plain ?? [])
            {
                headers[name] = value;
            }
        }

        return new WebhookConfig
        {
            Id = reader.GetString(0),
            TenantId = reader.IsDBNull(1) ? null : reader.GetString(1),
            State = (WebhookState)reader.GetInt16(2),
            Status = (WebhookStatus)reader.GetInt16(3),
            IsDefault = reader.GetBoolean(4),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
            Generation = reader.GetInt64(7),
            Name = document.Name,
            Url = document.Url,
            EventTypes = document.EventTypes,
            EventFilter = document.EventFilter,
            Headers = headers,
            Secrets = [.. document.Secrets.Select(s => new WebhookSecret { Key = Unprotect(s.Key), CreatedAt = s.CreatedAt, ExpiresAt = s.ExpiresAt })],
            StatusReason = document.StatusReason,
            VerificationMode = document.VerificationMode,
            Health = new HealthWindow(
                document.Health.Failures, document.Health.Count, document.Health.ConsecutiveFailures, document.Health.ConsecutiveSuccesses),
            EnabledAt = document.EnabledAt,
            DefaultClaimedAt = document.DefaultClaimedAt,
        };
    }

    private string Protect(string value) => protector is null ? value : protector.Protect(value);

    private string Unprotect(string value) => protector is null ? value : protector.Unprotect(value);
}
