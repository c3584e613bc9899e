namespace Webhooks.Core;

/// <content>The event type rules.</content>
public sealed partial class WebhookValidator
{
    private const string EventTypeRule =
        "Allowed: an exact type ('order.created'), a prefix ('order.*') or '*', made of letters, digits and . - _ / :.";

    private static void CheckEventTypes(IReadOnlyList<string>? eventTypes, string? eventFilter, List<ValidationProblem> problems)
    {
        if ((eventTypes is null || eventTypes.Count == 0) && string.IsNullOrWhiteSpace(eventFilter))
        {
            problems.Add(new("eventTypes", $"At least one event type or a non-empty event filter is required. {EventTypeRule}"));
            return;
        }

        for (int i = 0; i < eventTypes?.Count; i++)
        {
            if (!EventTypePattern.IsValid(eventTypes[i], out var problem))
            {
                problems.Add(new($"eventTypes[{i}]", $"{problem} {EventTypeRule}"));
            }
        }
    }
}
