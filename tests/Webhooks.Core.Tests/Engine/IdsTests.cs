using System.Globalization;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class IdsTests
{
    [Test]
    public void NewMessageId_IsTheTimeTheProcessAndACounterInHex_AndSortsByTime()
    {
        var at = new DateTimeOffset(2026, 12, 1, 15, 30, 0, 123, TimeSpan.Zero);

        var first = Ids.NewMessageId(at);
        var second = Ids.NewMessageId(at);
        var later = Ids.NewMessageId(at.AddMilliseconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Match("^msg_[0-9a-f]{32}$"));
            Assert.That(long.Parse(first.AsSpan(4, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture), Is.EqualTo(at.ToUnixTimeMilliseconds()));
            Assert.That(second[..26], Is.EqualTo(first[..26]), "the same time and process");
            Assert.That(ulong.Parse(second.AsSpan(26), NumberStyles.HexNumber, CultureInfo.InvariantCulture), Is.GreaterThan(ulong.Parse(first.AsSpan(26), NumberStyles.HexNumber, CultureInfo.InvariantCulture)), "the counter");
            Assert.That(string.CompareOrdinal(later, second), Is.Positive);
        });
    }
}
