using System.Numerics;

namespace Webhooks.Core;

/// <summary>
/// The most recent delivery outcomes of a webhook (up to 64) and the current run of equal outcomes.
/// A pure value: recording an outcome returns a new window.
/// </summary>
/// <param name="Failures">Bit <c>i</c> set when the attempt <c>i</c> places back (0 = newest) failed.</param>
/// <param name="Count">How many outcomes the window holds, at most 64.</param>
/// <param name="ConsecutiveFailures">Failures in a row, newest first.</param>
/// <param name="ConsecutiveSuccesses">Successes in a row, newest first.</param>
public readonly record struct HealthWindow(ulong Failures, int Count, int ConsecutiveFailures, int ConsecutiveSuccesses)
{
    /// <summary>Returns the window with one more outcome recorded.</summary>
    /// <param name="success">Whether the attempt succeeded.</param>
    public HealthWindow Record(bool success) => new(
        (Failures << 1) | (success ? 0UL : 1UL),
        Math.Min(Count + 1, 64),
        success ? 0 : ConsecutiveFailures + 1,
        success ? ConsecutiveSuccesses + 1 : 0);

    /// <summary>Counts the failures among the last <paramref name="size"/> outcomes.</summary>
    /// <param name="size">The window size, 1 to 64.</param>
    public int FailuresInLast(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 64);
        ulong mask = size == 64 ? ulong.MaxValue : (1UL << size) - 1;
        return BitOperations.PopCount(Failures & mask);
    }
}
