namespace Webhooks.Core.Tests.Configs;

/// <summary>The custom header rules.</summary>
public sealed partial class WebhookValidatorTests
{
    [TestCase("X-Api-Key")]
    [TestCase("Authorization")]
    [TestCase("authorization")]
    [TestCase("X-Weird!#$%&'*+.^_`|~1")]
    public void Validate_AllowedHeaderName_ReportsNothing(string name)
    {
        Assert.That(_validator.Validate(WithHeader(name, "value")), Is.Empty);
    }

    [TestCase("X Foo")]
    [TestCase("X:Foo")]
    [TestCase("X-Föö")]
    [TestCase("X(Foo)")]
    [TestCase("X\"Foo")]
    public void Validate_HeaderNameNotAToken_ReportsIt(string name)
    {
        var problems = _validator.Validate(WithHeader(name, "value"));

        Assert.That(problems, Is.EqualTo(new[]
        {
            new ValidationProblem("headers." + name, "The header name must be an HTTP token: letters, digits and ! # $ % & ' * + - . ^ _ ` | ~."),
        }));
    }

    [Test]
    public void Validate_EmptyHeaderName_ReportsHeaders()
    {
        var problems = _validator.Validate(WithHeader(string.Empty, "value"));

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "headers" }));
    }

    [TestCase("a\rb", "character 2 is U+000D")]
    [TestCase("a\nb", "character 2 is U+000A")]
    [TestCase("a\0b", "character 2 is U+0000")]
    [TestCase("\r\n", "character 1 is U+000D")]
    [TestCase("s\u00e9cret", "character 2 is U+00E9")]
    [TestCase("key\u007f", "character 4 is U+007F")]
    public void Validate_HeaderValueNotPrintableAscii_ReportsTheCharacter(string value, string which)
    {
        var problems = _validator.Validate(WithHeader("X-Foo", value));

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("headers.X-Foo", $"The header value must be printable ASCII (tabs allowed); {which}.") }));
    }

    [TestCase("Bearer abc.def~ghi")]
    [TestCase("a\tb")]
    [TestCase(" padded ")]
    public void Validate_HeaderValuePrintableAscii_ReportsNothing(string value)
    {
        Assert.That(_validator.Validate(WithHeader("X-Foo", value)), Is.Empty);
    }

    [Test]
    public void Validate_EmptyHeaderValue_ReportsNothing()
    {
        Assert.That(_validator.Validate(WithHeader("X-Foo", string.Empty)), Is.Empty);
    }

    [TestCase("webhook-signature")]
    [TestCase("Webhook-Id")]
    [TestCase("WEBHOOK-TIMESTAMP")]
    [TestCase("Content-Type")]
    [TestCase("content-length")]
    [TestCase("Host")]
    [TestCase("User-Agent")]
    [TestCase("traceparent")]
    [TestCase("TraceState")]
    [TestCase("Connection")]
    [TestCase("Keep-Alive")]
    [TestCase("Proxy-Authorization")]
    [TestCase("proxy-connection")]
    [TestCase("TE")]
    [TestCase("Trailer")]
    [TestCase("Transfer-Encoding")]
    [TestCase("Upgrade")]
    public void Validate_ReservedHeader_ReportsIt(string name)
    {
        var problems = _validator.Validate(WithHeader(name, "value"));

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "headers." + name }));
        Assert.That(problems[0].Message, Does.StartWith($"The header '{name}' is reserved and cannot be set. Reserved: webhook-*, proxy-*, content-type,"));
    }

    [TestCase("x-compute-ops-mgmt-verification-challenge")]
    [TestCase("X-Compute-Ops-Mgmt-Anything")]
    public void Validate_HostReservedPrefix_ReportsItAndNamesThePrefix(string name)
    {
        var options = new WebhooksOptions();
        options.ReservedHeaderPrefixes.Add("x-compute-ops-mgmt");

        var problems = new WebhookValidator(options).Validate(WithHeader(name, "value"));

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "headers." + name }));
        Assert.That(problems[0].Message, Does.Contain("x-compute-ops-mgmt*"));
    }

    [Test]
    public void Validate_ChallengeHeader_ReportsIt()
    {
        var options = new WebhooksOptions { ChallengeHeaderName = "X-My-Challenge" };

        var problems = new WebhookValidator(options).Validate(WithHeader("x-my-challenge", "value"));

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "headers.x-my-challenge" }));
        Assert.That(problems[0].Message, Does.EndWith(", X-My-Challenge."));
    }

    [Test]
    public void Validate_SameHeaderTwiceInOtherCase_ReportsTheSecond()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Foo"] = "a", ["x-foo"] = "b" };

        var problems = _validator.Validate(Valid() with { Headers = headers });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("headers.x-foo", "The header is given twice; header names are case-insensitive.") }));
    }

    [Test]
    public void Validate_NullHeaderValue_ReportsIt()
    {
        var problems = _validator.Validate(WithHeader("X-Foo", null!));

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "headers.X-Foo" }));
    }

    private static WebhookDefinition WithHeader(string name, string value) =>
        Valid() with { Headers = new Dictionary<string, string> { [name] = value } };

    [Test]
    public void Validate_HeadersAtTheirLimits_ReportsNothing()
    {
        // 50 headers; one name and one value as long as allowed; all of them exactly the total allowed.
        var headers = Enumerable.Range(0, WebhookValidator.MaxHeaders - 5).ToDictionary(i => $"X-H{i:D2}", _ => "v");
        headers["X-" + new string('n', WebhookValidator.MaxHeaderNameLength - 2)] = "v";
        headers["X-Big"] = new string('v', WebhookValidator.MaxHeaderValueLength);
        var rest = WebhookValidator.MaxHeadersLength - headers.Sum(h => h.Key.Length + h.Value.Length) - (3 * "X-R0".Length);
        for (var i = 0; i < 3; i++)
        {
            headers[$"X-R{i}"] = new string('r', (rest / 3) + (i < rest % 3 ? 1 : 0));
        }

        Assert.That(headers, Has.Count.EqualTo(WebhookValidator.MaxHeaders));
        Assert.That(_validator.Validate(Valid() with { Headers = headers }), Is.Empty);
    }

    [Test]
    public void Validate_HeaderNameTooLong_ReportsItsLength()
    {
        var problems = _validator.Validate(WithHeader("X-" + new string('n', 100_000), "v"));

        Assert.That(problems, Is.EqualTo(new[]
        {
            new ValidationProblem("headers", $"A header name is 100002 characters long; at most {WebhookValidator.MaxHeaderNameLength} are allowed."),
        }));
    }

    [Test]
    public void Validate_HeadersTooLongTogether_ReportsTheirLength()
    {
        var headers = Enumerable.Range(0, 5).ToDictionary(i => $"X-H{i}", _ => new string('v', WebhookValidator.MaxHeaderValueLength));

        Assert.That(_validator.Validate(Valid() with { Headers = headers }), Is.EqualTo(new[]
        {
            new ValidationProblem("headers", $"The custom headers take {5 * (4 + WebhookValidator.MaxHeaderValueLength)} characters, names and values; at most {WebhookValidator.MaxHeadersLength} are allowed."),
        }));
    }

    [Test]
    public void Validate_TooManyHeaders_ReportsOneProblemCountingThem()
    {
        var headers = Enumerable.Range(0, 2000).ToDictionary(i => $"X-H{i}", _ => "v\r");

        Assert.That(_validator.Validate(Valid() with { Headers = headers }), Is.EqualTo(new[]
        {
            new ValidationProblem("headers", $"The webhook has 2000 custom headers; at most {WebhookValidator.MaxHeaders} are allowed."),
        }));
    }

    [Test]
    public void Validate_HeaderValueTooLong_ReportsItsLength()
    {
        var problems = _validator.Validate(WithHeader("X-Big", new string('v', 100_000)));

        Assert.That(problems, Is.EqualTo(new[]
        {
            new ValidationProblem("headers.X-Big", $"The header value is 100000 characters long; at most {WebhookValidator.MaxHeaderValueLength} are allowed."),
        }));
    }
}
