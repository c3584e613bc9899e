using static Webhooks.Core.Tests.Filtering.FilterEvents;

namespace Webhooks.Core.Tests.Filtering;

public sealed partial class EventFilterTests
{
    [TestCase("contains(new/name, 'prod')", ExpectedResult = true)]
    [TestCase("contains(new/name, 'web-01')", ExpectedResult = true)]
    [TestCase("contains(new/name, 'Prod')", ExpectedResult = false)]
    [TestCase("contains(new/name, '')", ExpectedResult = true)]
    [TestCase("contains(new/name, new/name)", ExpectedResult = true)]
    [TestCase("contains(new/name, old/name)", ExpectedResult = false)]
    [TestCase("contains(new/escaped, 'é \"q')", ExpectedResult = true)]
    [TestCase("contains(new/escaped, new/quote)", ExpectedResult = false)]
    [TestCase("contains('abc', 'b')", ExpectedResult = true)]
    [TestCase("contains(type, 'ops')", ExpectedResult = true)]
    [TestCase("contains(new/missing, 'x')", ExpectedResult = false)]
    [TestCase("contains(new/name, null)", ExpectedResult = false)]
    [TestCase("contains(new/count, '3')", ExpectedResult = false)]
    [TestCase("contains(new/tags, 'a')", ExpectedResult = false)]
    [TestCase("CONTAINS(new/name, 'prod')", ExpectedResult = true)]
    [TestCase("startswith(new/name, 'prod-')", ExpectedResult = true)]
    [TestCase("startswith(new/name, 'web')", ExpectedResult = false)]
    [TestCase("startswith(new/escaped, 'café')", ExpectedResult = true)]
    [TestCase("StartsWith(new/name, 'prod')", ExpectedResult = true)]
    [TestCase("endswith(new/name, '-01')", ExpectedResult = true)]
    [TestCase("endswith(new/name, 'prod')", ExpectedResult = false)]
    [TestCase("endswith(new/escaped, '\"quoted\"')", ExpectedResult = true)]
    [TestCase("endswith(new/missing, '')", ExpectedResult = false)]
    public bool Matches_TextFunctions_AreOrdinalAndCaseSensitive(string expression) => Matches(expression);

    [TestCase("tolower(new/mixedCase) eq 'prod-server'", ExpectedResult = true)]
    [TestCase("tolower(new/mixedCase) eq 'Prod-Server'", ExpectedResult = false)]
    [TestCase("tolower(new/mixedCase) ne 'prod-server'", ExpectedResult = false)]
    [TestCase("toupper(new/mixedCase) eq 'PROD-SERVER'", ExpectedResult = true)]
    [TestCase("ToLower(new/mixedCase) eq 'prod-server'", ExpectedResult = true)]
    [TestCase("tolower(new/mixedCase) eq tolower('PROD-server')", ExpectedResult = true)]
    [TestCase("tolower('ABC') eq 'abc'", ExpectedResult = true)]
    [TestCase("tolower(new/mixedCase) eq tolower(new/mixedCase)", ExpectedResult = true)]
    [TestCase("tolower(new/mixedCase) eq new/mixedCase", ExpectedResult = false)]
    [TestCase("toupper(tolower(new/mixedCase)) eq 'PROD-SERVER'", ExpectedResult = true)]
    [TestCase("tolower(new/mixedCase) gt 'prod'", ExpectedResult = true)]
    [TestCase("contains(tolower(new/mixedCase), 'prod')", ExpectedResult = true)]
    [TestCase("contains(new/mixedCase, 'prod')", ExpectedResult = false)]
    [TestCase("startswith(toupper(new/mixedCase), 'PROD')", ExpectedResult = true)]
    [TestCase("endswith(tolower(new/name), toupper('01'))", ExpectedResult = true)]
    [TestCase("contains(tolower(new/hardware/model), tolower('dl360'))", ExpectedResult = true)]
    [TestCase("tolower(new/escaped) eq 'café \"quoted\"'", ExpectedResult = true)]
    [TestCase("tolower(new/unicode) eq 'école straße'", ExpectedResult = true)]
    [TestCase("tolower(new/missing) eq null", ExpectedResult = true)]
    [TestCase("tolower(null) eq null", ExpectedResult = true)]
    [TestCase("tolower(new/count) eq '3'", ExpectedResult = false)]
    [TestCase("tolower(new/count) ne null", ExpectedResult = true)]
    public bool Matches_CaseFunctions_ConvertWithTheInvariantCulture(string expression) => Matches(expression);

    [Test]
    public void Matches_ToUpper_AgreesWithToUpperInvariant()
    {
        var expected = "ÉCOLE Straße".ToUpperInvariant().Replace("'", "''", StringComparison.Ordinal);

        Assert.That(Matches($"toupper(new/unicode) eq '{expected}'"), Is.True);
    }

    [Test]
    public void Matches_StringsLongerThanTheStackBuffer_AreDecodedIntoPooledArrays()
    {
        var text = string.Concat(Enumerable.Repeat("Ab\\u00e9", 200)); // 1,400 bytes of JSON, 600 characters
        var decoded = string.Concat(Enumerable.Repeat("Abé", 200));
        var json = $$"""{"long":"{{text}}","plain":"{{decoded}}"}""";

        Assert.That(Matches($"tolower(long) eq '{decoded.ToLowerInvariant()}'", "x", json), Is.True);
        Assert.That(Matches($"contains(long, 'éAbé') and endswith(long, 'bé')", "x", json), Is.True);
        Assert.That(Matches($"long eq plain and long ge '{decoded}' and not long gt plain", "x", json), Is.True);
        Assert.That(Matches($"toupper(long) eq toupper(plain)", "x", json), Is.True);
    }
}
