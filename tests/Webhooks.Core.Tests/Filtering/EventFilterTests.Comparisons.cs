using System.Text.Json;
using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    [TestCase("operation eq 'Updated'", ExpectedResult = true)]
    [TestCase("operation eq 'updated'", ExpectedResult = false)]
    [TestCase("operation ne 'Created'", ExpectedResult = true)]
    [TestCase("operation ne 'Updated'", ExpectedResult = false)]
    [TestCase("new/name gt 'prod'", ExpectedResult = true)]
    [TestCase("new/name ge 'prod-web-01'", ExpectedResult = true)]
    [TestCase("new/name gt 'prod-web-01'", ExpectedResult = false)]
    [TestCase("new/name lt 'q'", ExpectedResult = true)]
    [TestCase("new/name le 'prod-web-00'", ExpectedResult = false)]
    [TestCase("'a' gt 'B'", ExpectedResult = true)]
    [TestCase("new/hardware/health/summary eq 'WARNING'", ExpectedResult = true)]
    [TestCase("new/hardware/model eq 'ProLiant DL360 Gen10'", ExpectedResult = true)]
    [TestCase("Operation eq 'Updated'", ExpectedResult = false)]
    [TestCase("new/quote eq 'it''s'", ExpectedResult = true)]
    [TestCase("new/escaped eq 'café \"quoted\"'", ExpectedResult = true)]
    [TestCase("new/escaped gt 'caf'", ExpectedResult = true)]
    [TestCase("new/escaped lt 'cafe'", ExpectedResult = false)]
    [TestCase("new/name eq new/name", ExpectedResult = true)]
    [TestCase("new/name eq old/name", ExpectedResult = false)]
    [TestCase("new/escaped eq new/escaped", ExpectedResult = true)]
    [TestCase("new/name lt old/name", ExpectedResult = true)]
    [TestCase("new/name ge old/name", ExpectedResult = false)]
    public bool Matches_Strings_CompareOrdinally(string expression) => Matches(expression);

    [TestCase("new/count eq 3", ExpectedResult = true)]
    [TestCase("new/count eq 3.0", ExpectedResult = true)]
    [TestCase("new/count ne 3", ExpectedResult = false)]
    [TestCase("new/count ne 4", ExpectedResult = true)]
    [TestCase("new/count gt 2", ExpectedResult = true)]
    [TestCase("new/count gt 3", ExpectedResult = false)]
    [TestCase("new/count ge 3", ExpectedResult = true)]
    [TestCase("new/count lt 4", ExpectedResult = true)]
    [TestCase("new/count lt 3", ExpectedResult = false)]
    [TestCase("new/count le 2.99", ExpectedResult = false)]
    [TestCase("new/ratio gt 0.5", ExpectedResult = true)]
    [TestCase("new/ratio eq 0.75", ExpectedResult = true)]
    [TestCase("new/ratio eq 75e-2", ExpectedResult = true)]
    [TestCase("new/ratio lt 7.5E-1", ExpectedResult = false)]
    [TestCase("new/negative eq -5", ExpectedResult = true)]
    [TestCase("new/negative lt -4.5", ExpectedResult = true)]
    [TestCase("new/negative gt -6", ExpectedResult = true)]
    [TestCase("new/big eq 12345678901234567890", ExpectedResult = true)]
    [TestCase("new/big gt 12345678901234567889", ExpectedResult = true)]
    [TestCase("new/big lt 1e300", ExpectedResult = true)]
    [TestCase("new/count gt old/count", ExpectedResult = true)]
    [TestCase("-1.5 lt -1", ExpectedResult = true)]
    public bool Matches_Numbers_CompareNumerically(string expression) => Matches(expression);

    // Numbers beyond what decimal (28 places) or double (17 digits) hold exactly compare as written.
    [TestCase("x eq 0", """{"x":1e-40}""", ExpectedResult = false)]
    [TestCase("x ne 0", """{"x":1e-40}""", ExpectedResult = true)]
    [TestCase("x gt 0", """{"x":1e-40}""", ExpectedResult = true)]
    [TestCase("x lt 0", """{"x":-1e-40}""", ExpectedResult = true)]
    [TestCase("x eq 1e-40", """{"x":1e-40}""", ExpectedResult = true)]
    [TestCase("x eq 0.0000000000000000000000000000000000000001", """{"x":1e-40}""", ExpectedResult = true)]
    [TestCase("x gt 1e-41", """{"x":1e-40}""", ExpectedResult = true)]
    [TestCase("x eq 0.1", """{"x":0.1000000000000000000000000000001}""", ExpectedResult = false)]
    [TestCase("x gt 0.1", """{"x":0.1000000000000000000000000000001}""", ExpectedResult = true)]
    [TestCase("x lt 0.1000000000000000000000000000002", """{"x":0.1000000000000000000000000000001}""", ExpectedResult = true)]
    [TestCase("x eq 123456789012345678901234567890123", """{"x":123456789012345678901234567890123}""", ExpectedResult = true)]
    [TestCase("x lt 123456789012345678901234567890124", """{"x":123456789012345678901234567890123}""", ExpectedResult = true)]
    [TestCase("x gt 1e300", """{"x":1e400}""", ExpectedResult = true)]
    [TestCase("x lt -1e300", """{"x":-1e400}""", ExpectedResult = true)]
    [TestCase("x eq 1500", """{"x":1.5e3}""", ExpectedResult = true)]
    [TestCase("x eq 15e-1", """{"x":1.50}""", ExpectedResult = true)]
    [TestCase("x eq 0", """{"x":-0.0e5}""", ExpectedResult = true)]
    [TestCase("x gt -0.001", """{"x":0}""", ExpectedResult = true)]
    [TestCase("x lt 10", """{"x":9.99999999999999999999999999999}""", ExpectedResult = true)]
    [TestCase("x gt 9.9", """{"x":9.99}""", ExpectedResult = true)]
    [TestCase("x lt -9.9", """{"x":-9.99}""", ExpectedResult = true)]
    [TestCase("x eq y", """{"x":1e-40,"y":0.1e-39}""", ExpectedResult = true)]
    [TestCase("x lt y", """{"x":12345678901234567890.5,"y":12345678901234567891}""", ExpectedResult = true)]
    [TestCase("x gt y", """{"x":1e1000000000001,"y":1e1000000000000}""", ExpectedResult = true)]
    [TestCase("x eq y", """{"x":10e1000000000000,"y":1e1000000000001}""", ExpectedResult = true)]
    [TestCase("x lt y", """{"x":1e-1000000000001,"y":1e-1000000000000}""", ExpectedResult = true)]
    [TestCase("x gt y", """{"x":1e999999999999999999999999999999999,"y":1e999999999999999999999999999999998}""", ExpectedResult = true)]
    public bool Matches_NumbersBeyondDecimalAndDouble_CompareExactly(string expression, string json) =>
        EventFilter.Parse(expression).Matches("metrics.sample", System.Text.Encoding.UTF8.GetBytes(json));

    [TestCase("new/enabled eq true", ExpectedResult = true)]
    [TestCase("new/enabled eq True", ExpectedResult = true)]
    [TestCase("new/enabled eq TRUE", ExpectedResult = true)]
    [TestCase("new/enabled ne false", ExpectedResult = true)]
    [TestCase("new/disabled eq False", ExpectedResult = true)]
    [TestCase("new/disabled eq true", ExpectedResult = false)]
    [TestCase("changed/name eq True", ExpectedResult = true)]
    [TestCase("changed/count eq True", ExpectedResult = false)]
    [TestCase("new/enabled gt false", ExpectedResult = false)]
    [TestCase("new/enabled le true", ExpectedResult = false)]
    public bool Matches_Booleans_CompareForEqualityOnly(string expression) => Matches(expression);

    [TestCase("new/createdAt eq 2024-03-01T10:00:00Z", ExpectedResult = true)]
    [TestCase("new/createdAt eq 2024-03-01t10:00:00z", ExpectedResult = true)]
    [TestCase("new/createdAt eq 2024-03-01T11:00:00+01:00", ExpectedResult = true)]
    [TestCase("new/createdAt gt 2024-01-01T00:00:00Z", ExpectedResult = true)]
    [TestCase("new/createdAt lt 2024-03-01T10:00:00.001Z", ExpectedResult = true)]
    [TestCase("new/createdAt ge 2024-03-01T10:00:00.0000001Z", ExpectedResult = false)]
    [TestCase("new/localTime eq 2024-03-01T10:00:00Z", ExpectedResult = true)]
    [TestCase("new/localTime le 2024-03-01T09:59:59-00:01", ExpectedResult = true)]
    [TestCase("new/createdAt ne 2024-03-01T10:00:00Z", ExpectedResult = false)]
    [TestCase("new/createdAt in (2023-01-01T00:00:00Z, 2024-03-01T10:00:00Z)", ExpectedResult = true)]
    [TestCase("new/notATime lt 2030-01-01T00:00:00Z", ExpectedResult = false)]
    [TestCase("new/notATime ne 2030-01-01T00:00:00Z", ExpectedResult = false)]
    [TestCase("new/count lt 2030-01-01T00:00:00Z", ExpectedResult = false)]
    [TestCase("new/createdAt ge '2024-03-01T10:00:00Z'", ExpectedResult = true)]
    [TestCase("new/createdAt eq new/localTime", ExpectedResult = false)]
    [TestCase("2024-03-01T10:00:00Z eq '2024-03-01T11:00:00+01:00'", ExpectedResult = true)]
    public bool Matches_Timestamps_CompareAsInstants(string expression) => Matches(expression);

    // RFC 3339 allows second 60 of a minute 59: a leap second, read as the instant it ends, in literals and values alike.
    [TestCase("at gt 2016-12-31T23:59:59Z", ExpectedResult = true)]
    [TestCase("at eq 2017-01-01T00:00:00Z", ExpectedResult = true)]
    [TestCase("at lt 2016-12-31T23:59:60.5Z", ExpectedResult = true)]
    [TestCase("at eq 2017-01-01T01:59:60+02:00", ExpectedResult = true)]
    public bool Matches_LeapSecond_ComparesAsTheInstantItEnds(string expression) =>
        EventFilter.Parse(expression).Matches("server.updated", """{"at":"2016-12-31T23:59:60Z"}"""u8.ToArray());

    // System.Text.Json's default encoder (the one WebhookEvent.Create uses) writes the '+' of a time held as a string
    // (DateTimeOffset.ToString("O"), a time read from elsewhere) as \u002B: it is still an RFC 3339 time, compared as the
    // instant it holds.
    [TestCase("at eq 2024-03-01T10:00:00Z", ExpectedResult = true)]
    [TestCase("at gt 2024-03-01T09:59:59Z", ExpectedResult = true)]
    [TestCase("at lt 2024-03-01T10:00:00Z", ExpectedResult = false)]
    [TestCase("at in (2024-03-01T11:00:00+01:00)", ExpectedResult = true)]
    public bool Matches_TimestampWithEscapedCharacters_ComparesAsTheInstant(string expression)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(new { at = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }, JsonSerializerOptions.Web);
        Assert.That(System.Text.Encoding.UTF8.GetString(data), Does.Contain("\\u002B02:00"), "precondition: the offset's '+' is escaped");

        return EventFilter.Parse(expression).Matches("server.updated", data);
    }

    [TestCase("new/nothing eq null", ExpectedResult = true)]
    [TestCase("new/missing eq null", ExpectedResult = true)]
    [TestCase("missing/deep/path eq null", ExpectedResult = true)]
    [TestCase("new/name/deeper eq null", ExpectedResult = true)]
    [TestCase("Operation eq null", ExpectedResult = true)]
    [TestCase("new/name eq null", ExpectedResult = false)]
    [TestCase("new/name ne null", ExpectedResult = true)]
    [TestCase("new/nothing ne null", ExpectedResult = false)]
    [TestCase("new/missing ne null", ExpectedResult = false)]
    [TestCase("new/tags ne null", ExpectedResult = true)]
    [TestCase("new/hardware eq null", ExpectedResult = false)]
    [TestCase("new/missing eq 'x'", ExpectedResult = false)]
    [TestCase("new/missing ne 'x'", ExpectedResult = true)]
    [TestCase("new/missing gt 1", ExpectedResult = false)]
    [TestCase("new/missing le 1", ExpectedResult = false)]
    [TestCase("new/nothing lt 2024-01-01T00:00:00Z", ExpectedResult = false)]
    [TestCase("null eq null", ExpectedResult = true)]
    [TestCase("NULL eq new/missing", ExpectedResult = true)]
    [TestCase("new/missing eq new/nothing", ExpectedResult = true)]
    public bool Matches_NullAndMissing_FollowODataNullRules(string expression) => Matches(expression);

    [TestCase("new/count eq '3'")]
    [TestCase("new/count ne '3'")]
    [TestCase("new/count gt '1'")]
    [TestCase("new/name eq 3")]
    [TestCase("new/name ne 3")]
    [TestCase("new/name ge 0")]
    [TestCase("new/enabled eq 'true'")]
    [TestCase("new/enabled ne 1")]
    [TestCase("new/tags eq 'a'")]
    [TestCase("new/tags ne 'a'")]
    [TestCase("new/hardware gt 1")]
    [TestCase("type eq 5")]
    [TestCase("type ne true")]
    [TestCase("new/count eq true")]
    [TestCase("new/count in ('3')")]
    [TestCase("new/name in (1, 2, 3)")]
    [TestCase("new/createdAt eq 1709287200")]
    public void Matches_TypeMismatch_IsFalse(string expression)
    {
        Assert.That(Matches(expression), Is.False);
    }

    [TestCase("type eq 'compute-ops/server'", ExpectedResult = true)]
    [TestCase("type ne 'compute-ops/server'", ExpectedResult = false)]
    [TestCase("type gt 'compute-ops/a'", ExpectedResult = true)]
    [TestCase("type in ('compute-ops/job', 'compute-ops/server')", ExpectedResult = true)]
    [TestCase("startswith(type, 'compute-ops/')", ExpectedResult = true)]
    [TestCase("tolower(type) eq 'compute-ops/server'", ExpectedResult = true)]
    [TestCase("type eq 'Compute-Ops/Server'", ExpectedResult = false)]
    public bool Matches_Type_IsTheEventType(string expression) => Matches(expression);

    [Test]
    public void Matches_TypeWithinData_IsNotTheEventType()
    {
        Assert.That(Matches("type eq 'x' and new/type eq 'y'", "x", """{"type":"z","new":{"type":"y"}}"""), Is.True);
    }
}
