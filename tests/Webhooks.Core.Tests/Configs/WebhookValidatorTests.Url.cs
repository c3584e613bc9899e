namespace Webhooks.Core.Tests.Configs;

/// <summary>The URL rules.</summary>
public sealed partial class WebhookValidatorTests
{
    [TestCase("")]
    [TestCase("  ")]
    [TestCase("example.com/hook")]
    [TestCase("/hook")]
    [TestCase("https://exa mple.com/hook")]
    [TestCase("https://example.com/\nhook")]
    [TestCase("http://")]
    public void Validate_NotAnAbsoluteUrl_ReportsUrl(string url)
    {
        var problems = _validator.Validate(Valid() with { Url = url });

        Assert.That(problems.Select(p => p.Field), Is.EqualTo(new[] { "url" }));
        Assert.That(problems[0].Message, Does.Contain("https"));
    }

    [TestCase("http://example.com/hook")]
    [TestCase("ftp://example.com/hook")]
    [TestCase("file:///etc/passwd")]
    public void Validate_SchemeOtherThanHttps_ReportsUrl(string url)
    {
        var problems = _validator.Validate(Valid() with { Url = url });

        Assert.That(problems, Has.Some.Matches<ValidationProblem>(p => p.Field == "url" && p.Message.Contains("use https (plain http is not enabled on this host)")));
    }

    [Test]
    public void Validate_HttpWhenAllowed_ReportsNothing()
    {
        var options = new WebhooksOptions { AllowHttp = true };

        Assert.That(new WebhookValidator(options).Validate(Valid() with { Url = "http://localhost:5000/hook" }), Is.Empty);
    }

    [Test]
    public void Validate_OtherSchemeWhenHttpAllowed_NamesBothSchemes()
    {
        var problems = new WebhookValidator(new WebhooksOptions { AllowHttp = true }).Validate(Valid() with { Url = "ftp://example.com/x" });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("url", "The URL scheme 'ftp' is not allowed: use https or http.") }));
    }

    [Test]
    public void Validate_UserInfo_ReportsUrl()
    {
        var problems = _validator.Validate(Valid() with { Url = "https://user:secret@example.com/hook" });

        Assert.That(problems, Is.EqualTo(new[]
        {
            new ValidationProblem("url", "The URL must not contain user info (user:password@); send credentials in a custom header instead."),
        }));
    }

    [TestCase("https://example.com/hook#part")]
    [TestCase("https://example.com/hook#")]
    public void Validate_Fragment_ReportsUrl(string url)
    {
        var problems = _validator.Validate(Valid() with { Url = url });

        Assert.That(problems, Is.EqualTo(new[] { new ValidationProblem("url", "The URL must not contain a fragment (#...): receivers never see it.") }));
    }

    [Test]
    public void Validate_NoHost_ReportsUrl()
    {
        var problems = _validator.Validate(Valid() with { Url = "urn:isbn:0451450523" });

        Assert.That(problems, Has.Some.Matches<ValidationProblem>(p => p.Field == "url" && p.Message.StartsWith("The URL must name a host", StringComparison.Ordinal)));
    }

    [Test]
    public void Validate_UrlTooLong_ReportsItsLength()
    {
        var atLimit = "https://example.com/" + new string('a', WebhookValidator.MaxUrlLength - 20);
        var problems = _validator.Validate(Valid() with { Url = atLimit + "a" });

        Assert.That(_validator.Validate(Valid() with { Url = atLimit }), Is.Empty);
        Assert.That(problems, Is.EqualTo(new[]
        {
            new ValidationProblem("url", $"The URL is {WebhookValidator.MaxUrlLength + 1} characters long; at most {WebhookValidator.MaxUrlLength} are allowed."),
        }));
    }
}
