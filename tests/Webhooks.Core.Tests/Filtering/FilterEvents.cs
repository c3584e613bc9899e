using System.Text.Json;

namespace Webhooks.Core.Tests.Filtering;

/// <summary>Realistic HPE Compute Ops Management style events the filter tests evaluate against.</summary>
internal static class FilterEvents
{
    public const string ServerType = "compute-ops/server";

    public const string ServerUpdated = """
        {
          "operation": "Updated",
          "new": {
            "id": "875765-S01+2M291401N4",
            "name": "prod-web-01",
            "state": "FAILED",
            "groupComplianceStatus": "NotCompliant",
            "count": 3,
            "ratio": 0.75,
            "big": 12345678901234567890,
            "negative": -5,
            "enabled": true,
            "disabled": false,
            "createdAt": "2024-03-01T10:00:00Z",
            "localTime": "2024-03-01T12:00:00+02:00",
            "notATime": "yesterday",
            "nothing": null,
            "tags": ["a", "b"],
            "hardware": { "health": { "summary": "WARNING" }, "model": "ProLiant DL360 Gen10" },
            "escaped": "caf\u00e9 \"quoted\"",
            "mixedCase": "Prod-Server",
            "unicode": "ÉCOLE Straße",
            "quote": "it's"
          },
          "old": { "name": "test-web-01", "state": "OK", "count": 2 },
          "changed": { "name": true, "state": true, "count": false }
        }
        """;

    private static readonly JsonDocument ServerUpdatedDocument = JsonDocument.Parse(ServerUpdated);

    public static JsonElement ServerUpdatedData => ServerUpdatedDocument.RootElement;

    public static bool Matches(string expression, string eventType = ServerType)
        => EventFilter.Parse(expression).Matches(eventType, ServerUpdatedData);

    public static bool Matches(string expression, string eventType, string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventFilter.Parse(expression).Matches(eventType, document.RootElement);
    }
}
