namespace Webhooks.Core.Tests.Filtering;

/// <summary>Filters at and past the sizes a tenant can save.</summary>
[TestFixture]
public sealed class LongFilterTests
{
    [Test]
    public void Parse_LongPropertyPath_AllocatesInProportionToItsLength()
    {
        // The compiler's path prefixes spelled out every prefix: 10,000 segments took 384 MB.
        var expression = string.Join('/', Enumerable.Repeat("a", 10_000)) + " eq 1";

        var before = GC.GetAllocatedBytesForCurrentThread();
        var parsed = EventFilter.TryParse(expression, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(parsed, Is.True);
        Assert.That(allocated, Is.LessThan(32L * 1024 * 1024), $"bytes allocated parsing a {expression.Length}-character filter");
    }

    [Test]
    public void Validate_FilterLongerThanTheLimit_ReportsEventFilter()
    {
        var validator = new WebhookValidator(new WebhooksOptions(), static e => EventFilter.TryParse(e, out _, out var error) ? null : new ValidationProblem("eventFilter", error.Message));
        var filter = string.Join(" or ", Enumerable.Range(0, 400).Select(i => $"x eq {i}"));

        var problems = validator.Validate(new WebhookDefinition { Url = "https://example.com/h", EventTypes = ["*"], EventFilter = filter });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("eventFilter", $"The filter is {filter.Length} characters long; at most {WebhookValidator.MaxEventFilterLength} are allowed.") }));
    }
}
