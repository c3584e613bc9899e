using System.Text;
using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    private static readonly string[] ValidExpressions =
    [
        "type eq 'compute-ops/job'",
        "type eq 'compute-ops/alert' and operation eq 'Created'",
        "type eq 'compute-ops/group' and changed/name eq True",
        "type eq 'compute-ops/group' and new/groupComplianceStatus ne 'Compliant'",
        "contains(new/name, 'prod') or old/state in ('FAILED','ERROR')",
        "not (new/count gt 2.5 and new/negative le -5) or new/ratio in [0.5, 0.75, 1e1]",
        "tolower(new/mixedCase) eq 'prod-server' and startswith(toupper(type), 'COMPUTE')",
        "new/createdAt ge 2024-01-01T00:00:00.5+01:00 and endswith(new/escaped, 'it''s')",
        "new/nothing eq null and changed/name and not changed/count",
    ];

    private static readonly string[] Fragments =
    [
        " and ", " or ", " not ", "not ", "(", ")", "[", "]", ",", "'", "''", "\"", "/", " eq ", " ne ", " gt ", " in ",
        "contains(", "tolower(", "toupper(", "null", "True", "-", "-1.5e3", ".", "e", "2024-01-01T00:00:00Z",
        "2024-", "T", ":", "Z", "+01:00", " ", "\t", "é", "\u0000", "\uD800", "x", "9",
    ];

    // "\ud800" alone is valid JSON but no string: System.Text.Json threw InvalidOperationException as the filter read
    // it, which the outbox relay retried forever, blocking every event behind it.
    [TestCase("contains(new/name, 'prod')")]
    [TestCase("tolower(new/name) eq 'prod'")]
    [TestCase("startswith(new/name, 'prod')")]
    [TestCase("endswith(new/name, 'prod')")]
    [TestCase("toupper(new/name) eq 'PROD'")]
    public void Matches_StringEscapingHalfASurrogatePair_ThrowsArgumentExceptionNamingTheData(string expression)
    {
        var filter = EventFilter.Parse(expression);

        var error = Assert.Throws<ArgumentException>(() => filter.Matches("server.updated", """{"new":{"name":"prod-\ud800"}}"""u8));

        Assert.That(error!.ParamName, Is.EqualTo("data"));
        Assert.That(error.Message, Does.StartWith("The event data cannot be filtered: "));
    }

    [Test]
    public void TryParse_RandomlyMutatedExpressions_NeverThrows()
    {
        var random = new Random(20240301);
        var rejected = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var expression = Mutate(ValidExpressions[random.Next(ValidExpressions.Length)], random);

            var parsed = EventFilter.TryParse(expression, out var filter, out var error);

            if (parsed)
            {
                Assert.DoesNotThrow(() => filter!.Matches(ServerType, ServerUpdatedData), expression);
                continue;
            }

            rejected++;
            Assert.That(error!.Position, Is.InRange(0, expression.Length), expression);
            Assert.That(error.Expected, Is.Not.Empty, expression);
            var exception = Assert.Throws<FilterSyntaxException>(() => EventFilter.Parse(expression), expression);
            Assert.That(exception!.Error, Is.EqualTo(error), expression);
        }

        // Most mutations break the expression; the test must exercise the error paths, not only the happy one.
        Assert.That(rejected, Is.GreaterThan(10_000));
    }

    private static string Mutate(string expression, Random random)
    {
        var text = new StringBuilder(expression);
        for (var mutations = random.Next(1, 5); mutations > 0; mutations--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(6))
            {
                case 0 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), 1);
                    break;
                case 1:
                    text.Insert(at, (char)random.Next(32, 127));
                    break;
                case 2 when text.Length > 1:
                    var i = Math.Min(at, text.Length - 2);
                    (text[i], text[i + 1]) = (text[i + 1], text[i]);
                    break;
                case 3:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 4:
                    text.Length = Math.Min(at, text.Length);
                    break;
                default:
                    var from = random.Next(text.Length + 1);
                    var length = random.Next(Math.Min(12, text.Length - from) + 1);
                    text.Insert(at, text.ToString(from, length));
                    break;
            }
        }

        return text.ToString();
    }
}
