using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    [TestCase("operation eq 'Updated' and new/count eq 3", ExpectedResult = true)]
    [TestCase("operation eq 'Updated' and new/count eq 4", ExpectedResult = false)]
    [TestCase("operation eq 'Created' and new/count eq 3", ExpectedResult = false)]
    [TestCase("operation eq 'Created' or new/count eq 3", ExpectedResult = true)]
    [TestCase("operation eq 'Created' or new/count eq 4", ExpectedResult = false)]
    [TestCase("operation eq 'Updated' AND new/count EQ 3", ExpectedResult = true)]
    [TestCase("operation eq 'Created' Or new/count Eq 3", ExpectedResult = true)]
    [TestCase("not operation eq 'Created'", ExpectedResult = true)]
    [TestCase("NOT operation eq 'Updated'", ExpectedResult = false)]
    [TestCase("not (operation eq 'Updated')", ExpectedResult = false)]
    [TestCase("not(operation eq 'Updated')", ExpectedResult = false)]
    [TestCase("not not operation eq 'Updated'", ExpectedResult = true)]
    [TestCase("not contains(new/name, 'test')", ExpectedResult = true)]
    [TestCase("((operation eq 'Updated'))", ExpectedResult = true)]
    [TestCase("changed/name", ExpectedResult = true)]
    [TestCase("changed/count", ExpectedResult = false)]
    [TestCase("changed/missing", ExpectedResult = false)]
    [TestCase("new/name", ExpectedResult = false)]
    [TestCase("not changed/count", ExpectedResult = true)]
    [TestCase("changed/name and changed/state", ExpectedResult = true)]
    [TestCase("true", ExpectedResult = true)]
    [TestCase("False", ExpectedResult = false)]
    [TestCase("false or true", ExpectedResult = true)]
    [TestCase("contains(new/name, 'prod') eq true", ExpectedResult = true)]
    [TestCase("contains(new/name, 'prod') eq false", ExpectedResult = false)]
    [TestCase("(new/count eq 3) ne false", ExpectedResult = true)]
    [TestCase("(new/count eq 3) eq 'true'", ExpectedResult = false)]
    public bool Matches_Logic_CombinesConditions(string expression) => Matches(expression);

    // not binds tighter than and, which binds tighter than or:
    // "not a eq 1 and b eq 2 or c eq 3" is "((not (a eq 1)) and (b eq 2)) or (c eq 3)".
    [TestCase("not a eq 1 and b eq 2 or c eq 3", 1, 2, 3, true)]
    [TestCase("not a eq 1 and b eq 2 or c eq 3", 0, 2, 0, true)]
    [TestCase("not a eq 1 and b eq 2 or c eq 3", 1, 2, 0, false)]
    [TestCase("not a eq 1 and b eq 2 or c eq 3", 0, 0, 0, false)]
    [TestCase("not a eq 1 and b eq 2 or c eq 3", 0, 0, 3, true)]
    [TestCase("not (a eq 1 and b eq 2 or c eq 3)", 1, 2, 3, false)]
    [TestCase("not (a eq 1 and b eq 2) or c eq 3", 1, 2, 0, false)]
    [TestCase("a eq 1 or b eq 2 and c eq 3", 1, 0, 0, true)]
    [TestCase("(a eq 1 or b eq 2) and c eq 3", 1, 0, 0, false)]
    [TestCase("a eq 1 or (b eq 2 and c eq 3)", 0, 2, 0, false)]
    [TestCase("a eq 1 and (b eq 2 or c eq 3)", 1, 0, 3, true)]
    [TestCase("a eq 1 and b eq 2 or c eq 3", 0, 2, 3, true)]
    [TestCase("a eq 1 and b eq 2 and c eq 3 or a eq 9", 1, 2, 3, true)]
    [TestCase("a eq 1 and b eq 2 and c eq 3 or a eq 9", 1, 2, 0, false)]
    public void Matches_Precedence_GroupsNotThenAndThenOr(string expression, int a, int b, int c, bool expected)
    {
        var json = $$"""{"a":{{a}},"b":{{b}},"c":{{c}}}""";

        Assert.That(Matches(expression, "x", json), Is.EqualTo(expected));
    }

    [TestCase("old/state in ('FAILED','OK')", ExpectedResult = true)]
    [TestCase("old/state in ('FAILED','ERROR')", ExpectedResult = false)]
    [TestCase("old/state IN ('OK')", ExpectedResult = true)]
    [TestCase("new/count in [1,2,3]", ExpectedResult = true)]
    [TestCase("new/count in [1, 2]", ExpectedResult = false)]
    [TestCase("new/count in (3.0)", ExpectedResult = true)]
    [TestCase("new/ratio in [0.5, 0.75]", ExpectedResult = true)]
    [TestCase("new/missing in ('a', null)", ExpectedResult = true)]
    [TestCase("new/missing in ('a', 'b')", ExpectedResult = false)]
    [TestCase("new/enabled in (true)", ExpectedResult = true)]
    [TestCase("new/name in ['prod-web-01', 'x']", ExpectedResult = true)]
    [TestCase("new/escaped in ('café \"quoted\"')", ExpectedResult = true)]
    [TestCase("tolower(new/mixedCase) in ('prod-server', 'x')", ExpectedResult = true)]
    [TestCase("toupper(new/mixedCase) in ('prod-server', 'x')", ExpectedResult = false)]
    [TestCase("not new/count in (1, 2)", ExpectedResult = true)]
    public bool Matches_In_IsTrueWhenAnItemIsEqual(string expression) => Matches(expression);
}
