using System.Security.Cryptography;

namespace Webhooks.Core.Internal;

/// <summary>
/// Identifiers that sort by creation time, with a prefix naming what they identify. Message ids are made on the publish
/// hot path: creation time in milliseconds, a random number drawn once per process (so instances sharing a store never
/// collide) and a per-process counter, 32 hex digits in all like a UUID.
/// </summary>
internal static class Ids
{
    private static readonly ulong ProcessPart = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 24;
    private static long _counter;

    public static string NewWebhookId(DateTimeOffset now) => "wh_" + Guid.CreateVersion7(now).ToString("N");

    public static string NewMessageId(DateTimeOffset now)
    {
        var counter = (ulong)Interlocked.Increment(ref _counter);
        var millis = (ulong)now.ToUnixTimeMilliseconds();
        return string.Create(36, (millis, counter), static (span, state) =>
        {
            "msg_".CopyTo(span);
            state.millis.TryFormat(span.Slice(4, 12), out _, "x12");
            ProcessPart.TryFormat(span.Slice(16, 10), out _, "x10");
            (state.counter & 0xFF_FFFF_FFFF).TryFormat(span.Slice(26, 10), out _, "x10");
        });
    }
}
