using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>The id, tenant and state a webhook is created with.</content>
public sealed partial class WebhookValidator
{
    /// <summary>The longest id a host may give a webhook, in characters: as long as an event's keys.</summary>
    public const int MaxIdLength = WebhookEvent.MaxKeyLength;

    private const string IdRule = "use ASCII letters, digits, '-', '.', '_', '~' and ':' (the id is part of the webhook's management URLs).";

    /// <summary>
    /// Checks what only creation sets: an id the host chose (a generated one is always valid) and the tenant. Their
    /// problems come first, as the fields do in the webhook.
    /// </summary>
    private static void CheckIdentity(string? id, string? tenantId, List<ValidationProblem> problems)
    {
        // A webhook of a tenant its events could not name would never receive one.
        if (tenantId is not null && WebhookEvent.KeyProblem(tenantId, "tenant id") is { } tenantProblem)
        {
            problems.Insert(0, new("tenantId", tenantProblem));
        }

        if (id is not null && IdProblem(id) is { } idProblem)
        {
            problems.Insert(0, new("id", idProblem));
        }
    }

    private static string? IdProblem(string id)
    {
        if (id.Length == 0)
        {
            return "The id must not be empty; leave it out to have one generated.";
        }

        if (id.Length > MaxIdLength)
        {
            return $"The id is {id.Length} characters long; at most {MaxIdLength} are allowed.";
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_' or '~' or ':'))
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";
                return $"{shown} at character {i + 1} is not allowed in an id; {IdRule}";
            }
        }

        // A URL path segment of "." or ".." is removed by clients (RFC 3986 §5.2.4): no management URL could name it.
        return id is "." or ".." ? $"The id '{id}' is a dot segment, which a URL cannot name; {IdRule}" : null;
    }

    /// <summary>The problem of a state that is not one of <see cref="WebhookState"/>'s, or <see langword="null"/>.</summary>
    /// <param name="state">The state a webhook is created or updated with.</param>
    internal static ValidationProblem? StateProblem(WebhookState state) =>
        EnumText.Undefined(state, "state") is { } problem ? new("state", problem) : null;
}
