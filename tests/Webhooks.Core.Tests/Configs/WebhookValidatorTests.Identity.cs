namespace Webhooks.Core.Tests.Configs;

/// <content>The id, tenant and state a webhook is created with.</content>
public sealed partial class WebhookValidatorTests
{
    [TestCase("wh_1")]
    [TestCase("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [TestCase("acme:orders.v2~blue")]
    public void Validate_ValidId_ReportsNothing(string id)
    {
        Assert.That(_validator.Validate(Valid() with { Id = id }), Is.Empty);
    }

    // An id the host chooses was stored as given: empty, with a line break, or with a '/' that no management URL can name.
    [TestCase("", "The id must not be empty; leave it out to have one generated.")]
    [TestCase("a b", "' ' at character 2 is not allowed in an id")]
    [TestCase("wh\n1", "U+000A at character 3 is not allowed in an id")]
    [TestCase("acme/orders", "'/' at character 5 is not allowed in an id")]
    [TestCase("café", "'é' at character 4 is not allowed in an id")]
    [TestCase(".", "The id '.' is a dot segment, which a URL cannot name")] // clients drop it: /webhooks/. is /webhooks/
    [TestCase("..", "The id '..' is a dot segment, which a URL cannot name")]
    public void Validate_InvalidId_ReportsIdAndWhatIsAllowed(string id, string problem)
    {
        var problems = _validator.Validate(Valid() with { Id = id });

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "id" }));
        Assert.That(problems[0].Message, Does.StartWith(problem));
        Assert.That(problems[0].Message, Does.Contain("ASCII letters, digits, '-', '.', '_', '~' and ':'").Or.Contain("leave it out"));
    }

    [Test]
    public void Validate_IdTooLong_ReportsIdAndTheLimit()
    {
        var problems = _validator.Validate(Valid() with { Id = new string('a', 257) });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("id", "The id is 257 characters long; at most 256 are allowed.") }));
    }

    [Test]
    public void Validate_DefinitionWithAControlCharacterInItsTenant_ReportsTenantId()
    {
        var problems = _validator.Validate(Valid() with { TenantId = "acme\r\n" });

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "tenantId" }));
    }

    // A configuration value or a JSON number binds to any integer: state 9 was stored, reported Active and never sent.
    [Test]
    public void Validate_UndefinedState_ReportsStateAndTheStates()
    {
        var problems = _validator.Validate(Valid() with { State = (WebhookState)9 });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("state", "The state 9 is not one of Enabled, Disabled.") }));
    }

    [Test]
    public void Validate_ConfigWithAnUndefinedStateOrAnInvalidId_ReportsThem()
    {
        var config = new WebhookConfig { Id = "wh 1", Url = "https://example.com/hook", EventTypes = ["order.created"], State = (WebhookState)(-1) };

        Assert.That(_validator.Validate(config).Select(p => p.Field), Is.EqualTo(new[] { "id", "state" }));
    }
}
