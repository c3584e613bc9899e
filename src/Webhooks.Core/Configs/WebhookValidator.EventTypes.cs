namespace Webhooks.Core;

/// <content>The event type rules.</content>
public sealed partial class WebhookValidator
{
    /// <summary>The most event types (or patterns) one webhook may list.</summary>
    public const int MaxEventTypes = 100;

    private const string EventTypeRule =
        "Allowed: an exact type ('order.created'), a prefix ('order.*') or '*', made of letters, digits and . - _ / :.";

    private static void CheckEventTypes(IReadOnlyList<string>? eventTypes, string? eventFilter, List<ValidationProblem> problems)
    {
        if ((eventTypes is null || eventTypes.Count == 0) && string.IsNullOrWhiteSpace(eventFilter))
        {
            problems.Add(new("eventTypes", $"At least one event type or a non-empty event filter is required. {EventTypeRule}"));
            return;
        }

        if (eventTypes?.Count > MaxEventTypes)
        {
            // Checked before the entries: a list this long would otherwise make a problem of each.
            problems.Add(new("eventTypes", $"The webhook has {eventTypes.Count} event types; at most {MaxEventTypes} are allowed. Use a prefix ('order.*') or a filter for more."));
            return;
        }

        Dictionary<string, int>? listedAt = null;
        for (int i = 0; i < eventTypes?.Count; i++)
        {
            if (!EventTypePattern.IsValid(eventTypes[i], out var problem))
            {
                problems.Add(new($"eventTypes[{i}]", $"{problem} {EventTypeRule}"));
            }
            else if (!(listedAt ??= new(StringComparer.Ordinal)).TryAdd(eventTypes[i], i))
            {
                // Harmless to routing, but a list a client reads back should say each type once.
                problems.Add(new($"eventTypes[{i}]", $"'{eventTypes[i]}' is listed already, as eventTypes[{listedAt[eventTypes[i]]}]."));
            }
        }
    }
}
