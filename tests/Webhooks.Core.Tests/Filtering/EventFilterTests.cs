using System.Text;
using System.Text.Json;
using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    [TestCase("type eq 'compute-ops/job'", "compute-ops/job", """{"operation":"Created","new":{"name":"Update firmware"}}""", true)]
    [TestCase("type eq 'compute-ops/job'", "compute-ops/server", """{"operation":"Created"}""", false)]
    [TestCase("type eq 'compute-ops/alert' and operation eq 'Created'", "compute-ops/alert", """{"operation":"Created","new":{"severity":"CRITICAL"}}""", true)]
    [TestCase("type eq 'compute-ops/alert' and operation eq 'Created'", "compute-ops/alert", """{"operation":"Deleted","old":{"severity":"CRITICAL"}}""", false)]
    [TestCase("type eq 'compute-ops/group' and changed/name eq True", "compute-ops/group", """{"operation":"Updated","new":{"name":"b"},"old":{"name":"a"},"changed":{"name":true}}""", true)]
    [TestCase("type eq 'compute-ops/group' and changed/name eq True", "compute-ops/group", """{"operation":"Updated","changed":{"name":false,"devices":true}}""", false)]
    [TestCase("type eq 'compute-ops/group' and changed/name eq True", "compute-ops/group", """{"operation":"Created","new":{"name":"a"}}""", false)]
    [TestCase("type eq 'compute-ops/group' and new/groupComplianceStatus ne 'Compliant'", "compute-ops/group", """{"operation":"Updated","new":{"groupComplianceStatus":"NotCompliant"}}""", true)]
    [TestCase("type eq 'compute-ops/group' and new/groupComplianceStatus ne 'Compliant'", "compute-ops/group", """{"operation":"Updated","new":{"groupComplianceStatus":"Compliant"}}""", false)]
    [TestCase("contains(new/name, 'prod') or old/state in ('FAILED','ERROR')", "compute-ops/server", """{"operation":"Updated","new":{"name":"prod-db-02"},"old":{"state":"OK"}}""", true)]
    [TestCase("contains(new/name, 'prod') or old/state in ('FAILED','ERROR')", "compute-ops/server", """{"operation":"Updated","new":{"name":"test-db-02"},"old":{"state":"ERROR"}}""", true)]
    [TestCase("contains(new/name, 'prod') or old/state in ('FAILED','ERROR')", "compute-ops/server", """{"operation":"Updated","new":{"name":"test-db-02"},"old":{"state":"OK"}}""", false)]
    [TestCase("contains(new/name, 'prod') or old/state in ('FAILED','ERROR')", "compute-ops/server", """{"operation":"Deleted","old":{"name":"x"}}""", false)]
    public void Matches_SpecExamples_MatchRealisticEvents(string expression, string eventType, string json, bool expected)
    {
        Assert.That(Matches(expression, eventType, json), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_ValidExpression_KeepsTheExpression()
    {
        var filter = EventFilter.Parse("type eq 'a'");

        Assert.That(filter.Expression, Is.EqualTo("type eq 'a'"));
        Assert.That(filter.ToString(), Is.EqualTo("type eq 'a'"));
    }

    [Test]
    public void Parse_InvalidExpression_ThrowsFilterSyntaxExceptionWithTheError()
    {
        var exception = Assert.Throws<FilterSyntaxException>(() => EventFilter.Parse("(a eq 1"));

        Assert.That(exception!.Error, Is.EqualTo(new FilterSyntaxError(7, "')'", "end of input")));
        Assert.That(exception.Message, Is.EqualTo("The event filter is invalid: expected ')' at character 8, found end of input"));
        Assert.That(exception, Is.InstanceOf<WebhookException>());
    }

    [Test]
    public void TryParse_InvalidExpression_ReturnsFalseWithTheError()
    {
        var parsed = EventFilter.TryParse("a eq", out var filter, out var error);

        Assert.That(parsed, Is.False);
        Assert.That(filter, Is.Null);
        Assert.That(error!.Message, Is.EqualTo("expected a value at character 5, found end of input"));
    }

    [Test]
    public void TryParse_ValidExpression_ReturnsTheFilterAndNoError()
    {
        var parsed = EventFilter.TryParse("operation eq 'Updated'", out var filter, out var error);

        Assert.That(parsed, Is.True);
        Assert.That(error, Is.Null);
        Assert.That(filter!.Matches(ServerType, ServerUpdatedData), Is.True);
    }

    [Test]
    public void Parse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EventFilter.Parse(null!));
    }

    [Test]
    public void Matches_Utf8Json_ParsesTheData()
    {
        var filter = EventFilter.Parse("new/count eq 3 and type eq 'compute-ops/server'");

        Assert.That(filter.Matches(ServerType, Encoding.UTF8.GetBytes(ServerUpdated)), Is.True);
        Assert.That(filter.Matches("compute-ops/job", Encoding.UTF8.GetBytes(ServerUpdated)), Is.False);
    }

    [Test]
    public void Matches_EmptyUtf8Json_TreatsEveryPropertyAsMissing()
    {
        Assert.That(EventFilter.Parse("operation eq null").Matches(ServerType, ReadOnlySpan<byte>.Empty), Is.True);
        Assert.That(EventFilter.Parse("operation ne null").Matches(ServerType, ReadOnlySpan<byte>.Empty), Is.False);
    }

    [Test]
    public void Matches_InvalidUtf8Json_ThrowsJsonException()
    {
        var filter = EventFilter.Parse("operation eq null");

        Assert.That(() => filter.Matches(ServerType, "{\"a\":"u8), Throws.InstanceOf<JsonException>());
        Assert.That(() => filter.Matches(ServerType, "{} {}"u8), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void Matches_DefaultElement_TreatsEveryPropertyAsMissing()
    {
        Assert.That(EventFilter.Parse("new/name eq null and type eq 'x'").Matches("x", default(JsonElement)), Is.True);
    }

    [Test]
    public void Matches_DataIsNotAnObject_TreatsEveryPropertyAsMissing()
    {
        Assert.That(Matches("a eq null", "x", "[1,2]"), Is.True);
        Assert.That(Matches("a ne null", "x", "\"text\""), Is.False);
    }

    [Test]
    public void Matches_ManyThreads_AgreeWithOneThread()
    {
        var filter = EventFilter.Parse("tolower(new/mixedCase) eq 'prod-server' and new/name gt 'prod' and contains(new/escaped, 'é')");
        var results = new bool[64];

        Parallel.For(0, results.Length, i => results[i] = filter.Matches(ServerType, ServerUpdatedData));

        Assert.That(results, Is.All.True);
    }
}
