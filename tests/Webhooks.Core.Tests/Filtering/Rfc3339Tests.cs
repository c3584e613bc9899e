using System.Text;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Filtering;

public sealed class Rfc3339Tests
{
    [TestCase("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.0000000+00:00")]
    [TestCase("2024-01-01t00:00:00z", "2024-01-01T00:00:00.0000000+00:00")]
    [TestCase("2024-06-30T23:59:59.123+02:00", "2024-06-30T21:59:59.1230000+00:00")]
    [TestCase("2024-06-30T00:30:00-01:30", "2024-06-30T02:00:00.0000000+00:00")]
    [TestCase("2024-02-29T12:00:00.123456789Z", "2024-02-29T12:00:00.1234567+00:00")]
    [TestCase("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [TestCase("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999+00:00")]
    // A leap second (RFC 3339 §5.6) is read as the instant it ends, in whatever offset its minute 59 is written.
    [TestCase("2016-12-31T23:59:60Z", "2017-01-01T00:00:00.0000000+00:00")]
    [TestCase("2016-12-31T23:59:60.5Z", "2017-01-01T00:00:00.5000000+00:00")]
    [TestCase("2017-01-01T01:59:60+02:00", "2017-01-01T00:00:00.0000000+00:00")]
    public void TryParse_ValidDateTime_ReadsTheInstant(string text, string expected)
    {
        var instant = new DateTimeOffset(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime().Ticks, TimeSpan.Zero);

        Assert.That(Rfc3339.TryParse(text.AsSpan(), out var fromChars), Is.True);
        Assert.That(Rfc3339.TryParse<byte>(Encoding.UTF8.GetBytes(text), out var fromBytes), Is.True);
        Assert.That(fromChars, Is.EqualTo(instant.UtcTicks));
        Assert.That(fromBytes, Is.EqualTo(fromChars));
    }

    [TestCase("")]
    [TestCase("2024-01-01")]
    [TestCase("2024-01-01T00:00:00")]
    [TestCase("2024-01-01 00:00:00Z")]
    [TestCase("2024-01-01T00:00Z")]
    [TestCase("2024-13-01T00:00:00Z")]
    [TestCase("2024-00-01T00:00:00Z")]
    [TestCase("2023-02-29T00:00:00Z")]
    [TestCase("2024-04-31T00:00:00Z")]
    [TestCase("2024-01-01T24:00:00Z")]
    [TestCase("2024-01-01T00:60:00Z")]
    [TestCase("2024-01-01T00:00:60Z")]
    [TestCase("2016-12-31T23:58:60Z")]
    [TestCase("2016-12-31T23:59:61Z")]
    [TestCase("9999-12-31T23:59:60Z")]
    [TestCase("2024-01-01T00:00:00.Z")]
    [TestCase("2024-01-01T00:00:00+24:00")]
    [TestCase("2024-01-01T00:00:00+0100")]
    [TestCase("2024-01-01T00:00:00ZZ")]
    [TestCase("0000-01-01T00:00:00Z")]
    [TestCase("0001-01-01T00:00:00+01:00")]
    [TestCase("9999-12-31T23:59:59-01:00")]
    [TestCase("２０２４-01-01T00:00:00Z")]
    public void TryParse_InvalidDateTime_ReturnsFalse(string text)
    {
        Assert.That(Rfc3339.TryParse(text.AsSpan(), out _), Is.False);
        Assert.That(Rfc3339.TryParse<byte>(Encoding.UTF8.GetBytes(text), out _), Is.False);
    }
}
