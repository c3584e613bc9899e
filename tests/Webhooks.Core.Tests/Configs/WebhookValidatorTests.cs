namespace Webhooks.Core.Tests.Configs;

/// <summary>The name, event type and filter rules, and reporting every problem at once.</summary>
public sealed partial class WebhookValidatorTests
{
    private readonly WebhookValidator _validator = new(new WebhooksOptions());

    [Test]
    public void Validate_ValidDefinition_ReportsNothing()
    {
        var definition = Valid() with
        {
            Name = new string('n', WebhookValidator.MaxNameLength),
            EventTypes = ["order.created", "invoice.*", "compute-ops/job"],
            EventFilter = "type eq 'compute-ops/job'",
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer abc", ["X-Api-Key"] = "k" },
        };

        Assert.That(_validator.Validate(definition), Is.Empty);
    }

    [Test]
    public void Validate_NameTooLong_ReportsName()
    {
        var problems = _validator.Validate(Valid() with { Name = new string('n', 201) });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("name", "The name is 201 characters long; at most 200 are allowed.") }));
    }

    [TestCase("Orders\u0000prod", 7, "0000")]
    [TestCase("line\nbreak", 5, "000A")]
    [TestCase("del\u007f", 4, "007F")]
    [TestCase("c1\u0085", 3, "0085")]
    public void Validate_NameWithAControlCharacter_ReportsNameAndItsPosition(string name, int position, string code)
    {
        var problems = _validator.Validate(Valid() with { Name = name });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("name", $"The name must not contain control characters; character {position} is U+{code}.") }));
    }

    [TestCase("Orders \\uD800", 8, "D800")]
    [TestCase("\\uDE00 prod", 1, "DE00")]
    public void Validate_NameWithALoneSurrogate_ReportsNameAndItsPosition(string escaped, int position, string code)
    {
        var problems = _validator.Validate(Valid() with { Name = System.Text.RegularExpressions.Regex.Unescape(escaped) });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("name", $"The name must not contain surrogates without their pair; character {position} is U+{code}.") }));
    }

    [Test]
    public void Validate_NameWithASurrogatePair_IsValid() =>
        Assert.That(_validator.Validate(Valid() with { Name = "Orders \U0001F4E6" }), Is.Empty);

    [Test]
    public void Validate_NoEventTypesAndNoFilter_ReportsEventTypes()
    {
        var problems = _validator.Validate(Valid() with { EventTypes = [], EventFilter = " " });

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "eventTypes" }));
        Assert.That(problems[0].Message, Does.StartWith("At least one event type or a non-empty event filter is required."));
    }

    [Test]
    public void Validate_FilterWithoutEventTypes_ReportsNothing()
    {
        Assert.That(_validator.Validate(Valid() with { EventTypes = [], EventFilter = "type eq 'a'" }), Is.Empty);
    }

    [TestCase("*")]
    [TestCase("order")]
    [TestCase("order.created")]
    [TestCase("order.*")]
    [TestCase("order.created.v2.*")]
    [TestCase("compute-ops/job")]
    [TestCase("urn:a_b-c.D9")]
    public void Validate_ValidEventTypePattern_ReportsNothing(string pattern)
    {
        Assert.That(_validator.Validate(Valid() with { EventTypes = [pattern] }), Is.Empty);
    }

    [TestCase("", "An event type pattern must not be empty.")]
    [TestCase("order.", "An event type pattern must not have an empty segment (a leading, trailing or doubled '.' at character 6).")]
    [TestCase(".order", "An event type pattern must not have an empty segment (a leading, trailing or doubled '.' at character 1).")]
    [TestCase("order..created", "An event type pattern must not have an empty segment (a leading, trailing or doubled '.' at character 7).")]
    [TestCase("order..*", "An event type pattern must not have an empty segment (a leading, trailing or doubled '.' at character 6).")]
    [TestCase(".*", "'*' at character 2 is only allowed")]
    [TestCase("order*", "'*' at character 6 is only allowed")]
    [TestCase("*.created", "'*' at character 1 is only allowed")]
    [TestCase("order.*.created", "'*' at character 7 is only allowed")]
    [TestCase("order.**", "'*' at character 7 is only allowed")]
    [TestCase("order created", "An event type pattern must not contain whitespace (found at character 6).")]
    [TestCase("order.créé", "'é' at character 9 is not allowed")]
    [TestCase("order?", "'?' at character 6 is not allowed")]
    public void Validate_InvalidEventTypePattern_ReportsItsIndexAndWhatIsAllowed(string pattern, string problem)
    {
        var problems = _validator.Validate(Valid() with { EventTypes = ["order.created", "invoice.*", pattern] });

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "eventTypes[2]" }));
        Assert.That(problems[0].Message, Does.StartWith(problem).And.EndWith("made of letters, digits and . - _ / :."));
    }

    [Test]
    public void Validate_EventTypeListedTwice_NamesTheRepeatAndTheFirst()
    {
        var problems = _validator.Validate(Valid() with { EventTypes = ["order.created", "invoice.*", "order.created", "Order.created"] });

        Assert.That(problems.Select(p => (p.Field, p.Message)), Is.EqualTo(new[] { ("eventTypes[2]", "'order.created' is listed already, as eventTypes[0].") }));
    }

    [Test]
    public void Validate_Filter_IsCheckedAndReportedUnderEventFilter()
    {
        var seen = new List<string>();
        var validator = new WebhookValidator(new WebhooksOptions(), filter =>
        {
            seen.Add(filter);
            return new ValidationProblem("filter", "Expected a comparison at position 5.");
        });

        var problems = validator.Validate(Valid() with { EventFilter = "type bogus" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Is.EqualTo(new[] { "type bogus" }));
            Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("eventFilter", "Expected a comparison at position 5.") }));
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Validate_NoFilter_DoesNotCallTheCheck(string? filter)
    {
        bool called = false;
        var validator = new WebhookValidator(new WebhooksOptions(), _ =>
        {
            called = true;
            return null;
        });

        validator.Validate(Valid() with { EventFilter = filter });

        Assert.That(called, Is.False);
    }

    [Test]
    public void Validate_ManyProblems_ReportsEveryOneInFieldOrder()
    {
        var validator = new WebhookValidator(new WebhooksOptions(), _ => new ValidationProblem("eventFilter", "Bad filter."));
        var definition = new WebhookDefinition
        {
            Name = new string('n', 300),
            Url = "http://user@example.com/#x",
            EventTypes = ["ok.type", "bad type", "*.x"],
            EventFilter = "nonsense",
            Headers = new Dictionary<string, string> { ["Content-Type"] = "text/plain", ["X-Ok"] = "a\r\nb", ["Bad Name"] = "v" },
        };

        var problems = validator.Validate(definition);

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[]
        {
            "name", "url", "url", "url", "eventTypes[1]", "eventTypes[2]", "eventFilter",
            "headers.Content-Type", "headers.X-Ok", "headers.Bad Name",
        }));
    }

    [Test]
    public void Validate_Config_AppliesTheSameRules()
    {
        var config = new WebhookConfig
        {
            Id = "wh_1",
            Url = "http://example.com/hook",
            EventTypes = ["bad type"],
            Headers = new Dictionary<string, string> { ["Host"] = "evil" },
        };
        var definition = Valid() with { Url = config.Url, EventTypes = config.EventTypes, Headers = config.Headers };

        var problems = _validator.Validate(config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "url", "eventTypes[0]", "headers.Host" }));
            Assert.That(problems, Is.EqualTo(_validator.Validate(definition)));
        }
    }

    // A configuration value or a JSON number binds to any integer: one outside the enum was stored and verified as
    // if it were TestEvent.
    [Test]
    public void Validate_UndefinedVerificationMode_ReportsVerificationModeAndTheModes()
    {
        var problems = _validator.Validate(Valid() with { VerificationMode = (VerificationMode)7 });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("verificationMode", "The verification mode 7 is not one of None, Challenge, TestEvent.") }));
    }

    [Test]
    public void Validate_UpdateToAnUndefinedVerificationMode_ReportsIt()
    {
        var before = new WebhookConfig { Id = "wh_1", Url = "https://example.com/hook", EventTypes = ["order.created"] };

        var problems = _validator.Validate(before with { VerificationMode = (VerificationMode)(-1) }, before);

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "verificationMode" }));
    }

    private static WebhookDefinition Valid() => new()
    {
        Name = "Orders",
        Url = "https://example.com/hook",
        EventTypes = ["order.created"],
    };
}
