namespace Webhooks.Core.Tests.Filtering;

public sealed class EventTypePatternTests
{
    [TestCase("order.created", "order.created", ExpectedResult = true)]
    [TestCase("order.created", "order.updated", ExpectedResult = false)]
    [TestCase("order.created", "order.created.v2", ExpectedResult = false)]
    [TestCase("order.created", "Order.Created", ExpectedResult = false)]
    [TestCase("order.*", "order.created", ExpectedResult = true)]
    [TestCase("order.*", "order.item.added", ExpectedResult = true)]
    [TestCase("order.*", "order", ExpectedResult = false)]
    [TestCase("order.*", "order.", ExpectedResult = false)]
    [TestCase("order.*", "orders.created", ExpectedResult = false)]
    [TestCase("order.*", "Order.created", ExpectedResult = false)]
    [TestCase("order.item.*", "order.item.added", ExpectedResult = true)]
    [TestCase("order.item.*", "order.items.added", ExpectedResult = false)]
    [TestCase("compute-ops/job", "compute-ops/job", ExpectedResult = true)]
    [TestCase("*", "order.created", ExpectedResult = true)]
    [TestCase("*", "compute-ops/alert", ExpectedResult = true)]
    [TestCase("or*der", "order", ExpectedResult = false)]
    [TestCase("or*der", "or*der", ExpectedResult = true)]
    public bool IsMatch_Pattern_MatchesOrdinally(string pattern, string eventType) => EventTypePattern.IsMatch(pattern, eventType);

    [TestCase("order.created")]
    [TestCase("order.*")]
    [TestCase("order.item.*")]
    [TestCase("*")]
    [TestCase("compute-ops/job")]
    [TestCase("urn:events:order_created")]
    [TestCase("Order-2.Created_v1")]
    public void IsValid_ValidPattern_ReturnsTrue(string pattern)
    {
        Assert.That(EventTypePattern.IsValid(pattern, out var error), Is.True);
        Assert.That(error, Is.Null);
    }

    [TestCase(null, "empty")]
    [TestCase("", "empty")]
    [TestCase(" ", "whitespace")]
    [TestCase("order created", "whitespace")]
    [TestCase("order.created\n", "whitespace")]
    [TestCase("order*", "'*' at character 6")]
    [TestCase("or*der", "'*' at character 3")]
    [TestCase("*.created", "'*' at character 1")]
    [TestCase("order.*.created", "'*' at character 7")]
    [TestCase("order.**", "'*' at character 7")]
    [TestCase(".*", "'*' at character 2")]
    [TestCase("**", "'*' at character 1")]
    [TestCase("order!", "'!' at character 6")]
    [TestCase("ordér.created", "'é' at character 4")]
    [TestCase("order,created", "',' at character 6")]
    [TestCase("order\u0000", "U+0000 at character 6")]
    [TestCase("order.", "empty segment (a leading, trailing or doubled '.' at character 6)")]
    [TestCase(".order.*", "empty segment (a leading, trailing or doubled '.' at character 1)")]
    [TestCase("order..created", "empty segment (a leading, trailing or doubled '.' at character 7)")]
    public void IsValid_InvalidPattern_ReturnsFalseAndSaysWhy(string? pattern, string reason)
    {
        Assert.That(EventTypePattern.IsValid(pattern, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void IsValid_TooLong_ReturnsFalse()
    {
        Assert.That(EventTypePattern.IsValid(new string('a', EventTypePattern.MaxLength), out _), Is.True);
        Assert.That(EventTypePattern.IsValid(new string('a', EventTypePattern.MaxLength + 1), out var error), Is.False);
        Assert.That(error, Does.Contain("256"));
    }

    [Test]
    public void MatchesAny_OnePatternMatches_ReturnsTrue()
    {
        string[] patterns = ["invoice.*", "order.created", "customer.*"];

        Assert.That(EventTypePattern.MatchesAny(patterns, "customer.deleted"), Is.True);
        Assert.That(EventTypePattern.MatchesAny(patterns, "order.created"), Is.True);
        Assert.That(EventTypePattern.MatchesAny(patterns, "order.updated"), Is.False);
    }

    [Test]
    public void MatchesAny_NoPatterns_ReturnsFalse()
    {
        Assert.That(EventTypePattern.MatchesAny([], "order.created"), Is.False);
    }

    [Test]
    public void MatchesAny_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => EventTypePattern.MatchesAny(null!, "a"));
        Assert.Throws<ArgumentNullException>(() => EventTypePattern.MatchesAny(["a"], null!));
        Assert.Throws<ArgumentNullException>(() => EventTypePattern.MatchesAny(["b", null!], "a"));
        Assert.Throws<ArgumentNullException>(() => EventTypePattern.IsMatch(null!, "a"));
    }

    [Test]
    public void MatchesAny_AfterWarmUp_AllocatesNothing()
    {
        IReadOnlyList<string> patterns = new List<string> { "invoice.*", "order.created", "customer.*", "*" };
        var matches = EventTypePattern.MatchesAny(patterns, "customer.deleted") ? 1 : 0;

        var calls = 1;
        var allocated = ThreadAllocations.Least(() =>
        {
            for (var i = 0; i < 10_000; i++, calls++)
            {
                matches += EventTypePattern.MatchesAny(patterns, "order.item.added") ? 1 : 0;
            }
        });

        Assert.That(allocated, Is.Zero);
        Assert.That(matches, Is.EqualTo(calls), "the pattern list matches both types");
    }
}
