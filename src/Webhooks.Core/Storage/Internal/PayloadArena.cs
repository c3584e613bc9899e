using System.Runtime.InteropServices;

namespace Webhooks.Core.Internal;

/// <summary>
/// Keeps the payloads the in-memory store holds in large shared blocks, which the collector never copies. The store keeps
/// up to 100,000 finished messages for the delivery log, and the messages of a burst wait their turn: with a payload
/// array each, every collection copied those arrays from generation to generation (in the load harness, about half of
/// what survived a collection).
/// </summary>
/// <remarks>
/// A block lives as long as any payload in it. The store copies out of its block the payload of a message that is to
/// wait long (a retry, a held message), so that blocks go with the messages that fill them: delivered soon, kept as
/// finished, and forgotten in the order they finished.
/// </remarks>
internal static class PayloadArena
{
    /// <summary>The size of a block: on the large object heap (85,000 bytes or more), collected with generation 2 and not compacted unless a host asks.</summary>
    internal const int BlockSize = 256 * 1024;

    // Larger payloads get arrays of their own: a few of them would fill a block.
    private const int MaxShared = 8 * 1024;

    // One block per thread, so that publishers take no lock; a thread's last block is only partly used.
    [ThreadStatic]
    private static byte[]? _block;

    [ThreadStatic]
    private static int _used;

    /// <summary>Returns a copy of <paramref name="bytes"/>, in a shared block when it is small.</summary>
    public static ReadOnlyMemory<byte> Keep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxShared)
        {
            return bytes.ToArray();
        }

        var block = _block;
        if (block is null || _used + bytes.Length > BlockSize)
        {
            block = _block = GC.AllocateUninitializedArray<byte>(BlockSize);
            _used = 0;
        }

        var kept = block.AsMemory(_used, bytes.Length);
        bytes.CopyTo(kept.Span);
        _used += bytes.Length;
        return kept;
    }

    /// <summary>Whether <paramref name="payload"/> lies in a shared block (or in an array of a block's size, which is as well copied out).</summary>
    public static bool Holds(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Array is { Length: BlockSize };

    /// <summary>Returns <paramref name="payload"/> in an array of its own when it lies in a shared block.</summary>
    public static ReadOnlyMemory<byte> Release(ReadOnlyMemory<byte> payload) => Holds(payload) ? payload.ToArray() : payload;
}
