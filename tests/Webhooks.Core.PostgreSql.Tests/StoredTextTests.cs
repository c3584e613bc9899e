using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class StoredTextTests
{
    // Escaped, so that the test names (written as XML by reporters) carry no lone surrogate.
    [TestCase("plain", -1)]
    [TestCase("emoji \\uD83D\\uDE00 pair", -1)]
    [TestCase("nul\\u0000", 3)]
    [TestCase("\\uDE00 low first", 0)]
    [TestCase("high at the end \\uD83D", 16)]
    [TestCase("pair \\uD83D\\uDE00 then nul \\u0000", 17)]
    [TestCase("nul \\u0000 before a lone \\uD800", 4)]
    [TestCase("lone \\uD800 before a nul \\u0000", 5)]
    [TestCase("two highs \\uD83D\\uD83D\\uDE00", 10)]
    public void IndexOfUnstorable_FindsTheFirstNulOrLoneSurrogate(string escaped, int expected)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);

        Assert.That(StoredText.IndexOfUnstorable(text), Is.EqualTo(expected));
        Assert.That(StoredText.Storable(text), Is.EqualTo(expected < 0));
    }

    [Test]
    public void Cleaned_ReplacesEachNulAndLoneSurrogateOnly() =>
        Assert.That(StoredText.Cleaned("a\0b\uD800c\uD83D\uDE00d\uDC00"), Is.EqualTo("a\uFFFDb\uFFFDc\uD83D\uDE00d\uFFFD"));

    [Test]
    public void Cleaned_StorableText_IsReturnedAsItIs()
    {
        var text = "nothing to replace \U0001F600";

        Assert.That(StoredText.Cleaned(text), Is.SameAs(text));
    }
}
