using System.Text.Json;
using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    [TestCase("type eq 'compute-ops/server' and new/state ne 'OK' and contains(new/name, 'prod')")]
    [TestCase("type eq 'compute-ops/group' and changed/name eq True or new/count gt 2.5")]
    [TestCase("new/groupComplianceStatus ne 'Compliant' and new/createdAt ge 2024-01-01T00:00:00Z and new/missing eq null")]
    [TestCase("old/state in ('FAILED','ERROR','OK') and new/count in [1, 2, 3] and not new/enabled eq false")]
    [TestCase("tolower(new/mixedCase) eq 'prod-server' and startswith(toupper(new/name), 'PROD') and endswith(type, 'server')")]
    [TestCase("new/name gt 'prod' and new/escaped eq 'café \"quoted\"' and contains(new/escaped, 'é')")]
    [TestCase("new/name eq new/name and new/escaped eq new/escaped and contains(new/hardware/model, old/missing) eq false")]
    [TestCase("tolower(long) eq tolower(long) and contains(long, 'éAbé') and long ge 'A'")]
    public void Matches_AfterWarmUp_AllocatesNothing(string expression)
    {
        var filter = EventFilter.Parse(expression);
        var json = ServerUpdated.Replace("\"operation\"", $"\"long\": \"{string.Concat(Enumerable.Repeat("Ab\\u00e9", 200))}\", \"operation\"", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement;
        int matches = 0, calls = 0;
        for (var i = 0; i < 1_000; i++, calls++)
        {
            matches += filter.Matches(ServerType, data) ? 1 : 0;
        }

        var allocated = ThreadAllocations.Least(() =>
        {
            for (var i = 0; i < 10_000; i++, calls++)
            {
                matches += filter.Matches(ServerType, data) ? 1 : 0;
            }
        });

        Assert.That(allocated, Is.Zero);
        Assert.That(matches, Is.EqualTo(calls), "every filter here matches the event");
    }
}
