namespace Webhooks.Core.Internal;

/// <summary>Checks of UTF-16 text that UTF-8 (JSON, PostgreSQL) must carry.</summary>
internal static class Utf16Text
{
    /// <summary>Names a surrogate without its pair for an error message: "a surrogate without its pair (U+D800)".</summary>
    /// <param name="surrogate">The surrogate.</param>
    public static string DescribeLoneSurrogate(char surrogate) => $"a surrogate without its pair (U+{(int)surrogate:X4})";

    /// <summary>Returns the index of the first surrogate in <paramref name="text"/> without its pair, or -1 when there is none.</summary>
    /// <param name="text">The text.</param>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
