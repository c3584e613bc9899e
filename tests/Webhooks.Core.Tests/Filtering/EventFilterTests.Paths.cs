using System.Text.Json;
using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    [TestCase("new/name eq 'prod-web-01' and new/state eq 'FAILED' and contains(new/name, 'web')", ExpectedResult = true)]
    [TestCase("new/hardware/health/summary eq 'WARNING' and new/hardware/model ne null and new/hardware ne null", ExpectedResult = true)]
    [TestCase("missing/a eq null and missing/b eq null and missing eq null", ExpectedResult = true)]
    [TestCase("missing/a ne null or missing/b ne null", ExpectedResult = false)]
    [TestCase("new/name/x eq null and new/name/y eq null and new/name eq 'prod-web-01'", ExpectedResult = true)]
    [TestCase("new/tags/a eq null and new/tags ne null", ExpectedResult = true)]
    [TestCase("old/name eq 'test-web-01' and new/name eq 'prod-web-01' and old/count lt new/count", ExpectedResult = true)]
    public bool Matches_PathsSharingPrefixes_ResolveEachPathCorrectly(string expression) => Matches(expression);

    [TestCase("'FAILED' eq new/state", ExpectedResult = true)]
    [TestCase("'OK' ne new/state", ExpectedResult = true)]
    [TestCase("true eq changed/name", ExpectedResult = true)]
    [TestCase("false ne changed/count", ExpectedResult = false)]
    [TestCase("null eq new/nothing", ExpectedResult = true)]
    [TestCase("null ne new/hardware", ExpectedResult = true)]
    [TestCase("3 eq new/count", ExpectedResult = true)]
    [TestCase("'3' eq new/count", ExpectedResult = false)]
    [TestCase("'3' ne new/count", ExpectedResult = false)]
    public bool Matches_LiteralOnTheLeft_ComparesLikeOnTheRight(string expression) => Matches(expression);

    [Test]
    public void Matches_SameFilterOnAnotherEvent_LooksThePathsUpAgain()
    {
        var filter = EventFilter.Parse("new/state eq 'OK' and new/name eq 'a'");
        using var first = JsonDocument.Parse("""{"new":{"state":"OK","name":"a"}}""");
        using var second = JsonDocument.Parse("""{"new":{"state":"FAILED","name":"a"}}""");

        Assert.That(filter.Matches("x", first.RootElement), Is.True);
        Assert.That(filter.Matches("x", second.RootElement), Is.False);
        Assert.That(filter.Matches("x", first.RootElement), Is.True);
    }

    [Test]
    public void Matches_MoreSharedPrefixesThanRemembered_StillResolvesEveryPath()
    {
        var names = Enumerable.Range(0, 12).Select(i => $"p{i}").ToArray();
        var expression = string.Join(" and ", names.Select(n => $"{n}/a eq 1 and {n}/b eq '{n}'"));
        var json = "{" + string.Join(",", names.Select(n => $$"""
            "{{n}}":{"a":1,"b":"{{n}}"}
            """)) + "}";

        Assert.That(Matches(expression, "x", json), Is.True);
        Assert.That(Matches(expression + " and p11/b eq 'p10'", "x", json), Is.False);
    }
}
