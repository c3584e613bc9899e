using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Testing;

/// <summary>
/// A misused answer is refused where it is made, naming the argument and what it may be. Before, each was sent as it
/// stood: a 1xx or four-digit status the sender cannot read, a negative delay as none, <c>Retry-After: -3</c>, a
/// redirect with no <c>Location</c> or a 200 status, a JSON answer with no body.
/// </summary>
public sealed class ReceiverAnswerTests
{
    [TestCase(99)]
    [TestCase(100)]
    [TestCase(199)]
    [TestCase(1000)]
    public void Status_NotAFinalThreeDigitCode_ThrowsNamingStatusCode(int statusCode)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => ReceiverAnswer.Status(statusCode), ThrowsOutOfRange("statusCode", "from 200 to 999"));
            Assert.That(() => ReceiverAnswer.Ok with { StatusCode = statusCode }, ThrowsOutOfRange("StatusCode", "from 200 to 999"));
            Assert.That(() => ReceiverAnswer.Json("{}", statusCode), ThrowsOutOfRange("statusCode", "from 200 to 999"));
            Assert.That(() => ReceiverAnswer.RetryAfter(statusCode, TimeSpan.FromSeconds(1)), ThrowsOutOfRange("statusCode", "from 200 to 999"));
        });
    }

    [TestCase(200)]
    [TestCase(599)]
    [TestCase(999)]
    public void Status_FinalThreeDigitCode_Accepted(int statusCode) =>
        Assert.That(ReceiverAnswer.Status(statusCode).StatusCode, Is.EqualTo(statusCode));

    [Test]
    public void Delay_Negative_ThrowsNamingDelay() =>
        Assert.That(() => ReceiverAnswer.Ok with { Delay = TimeSpan.FromSeconds(-3) }, ThrowsOutOfRange("Delay", "Timeout.InfiniteTimeSpan"));

    [Test]
    public void Delay_ZeroOrInfinite_Accepted()
    {
        Assert.Multiple(() =>
        {
            Assert.That((ReceiverAnswer.Ok with { Delay = TimeSpan.Zero }).Delay, Is.EqualTo(TimeSpan.Zero));
            Assert.That((ReceiverAnswer.Ok with { Delay = Timeout.InfiniteTimeSpan }).Delay, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }

    [Test]
    public void RetryAfter_NegativeDelay_ThrowsNamingDelay() =>
        Assert.That(() => ReceiverAnswer.RetryAfter(503, TimeSpan.FromSeconds(-3)), ThrowsOutOfRange("delay", "greater than or equal to"));

    [TestCase(200)]
    [TestCase(404)]
    public void Redirect_NotA3xxStatus_ThrowsNamingStatusCode(int statusCode) =>
        Assert.That(() => ReceiverAnswer.Redirect("/moved", statusCode), ThrowsOutOfRange("statusCode", "from 300 to 399"));

    [Test]
    public void Redirect_NoLocation_ThrowsNamingLocation()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => ReceiverAnswer.Redirect(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("location"));
            Assert.That(() => ReceiverAnswer.Redirect(string.Empty), Throws.ArgumentException.With.Property("ParamName").EqualTo("location"));
        });
    }

    [Test]
    public void Json_NullBody_ThrowsNamingJson() =>
        Assert.That(() => ReceiverAnswer.Json(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("json"));

    [Test]
    public void Headers_Null_ThrowsNamingHeaders() =>
        Assert.That(() => ReceiverAnswer.Ok with { Headers = null! }, Throws.ArgumentNullException.With.Property("ParamName").EqualTo("Headers"));

    private static NUnit.Framework.Constraints.IResolveConstraint ThrowsOutOfRange(string paramName, string allowed) =>
        Throws.TypeOf<ArgumentOutOfRangeException>()
            .With.Property("ParamName").EqualTo(paramName)
            .And.Message.Contains(allowed);
}
