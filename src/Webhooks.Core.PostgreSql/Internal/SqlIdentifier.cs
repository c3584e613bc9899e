using System.Text.RegularExpressions;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Checks the names that are spliced into SQL text (schema, channel): identifiers cannot be parameters.</summary>
internal static partial class SqlIdentifier
{
    /// <summary>Returns <paramref name="name"/> double-quoted after checking it is a plain identifier.</summary>
    public static string Quote(string name, string optionName)
    {
        Validate(name, optionName);
        return "\"" + name + "\"";
    }

    /// <summary>Throws when <paramref name="name"/> is not letters, digits and underscores of at most 63 characters.</summary>
    public static void Validate(string? name, string optionName)
    {
        if (!IsPlain(name))
        {
            throw new ArgumentException(
                $"{optionName} must be 1 to 63 letters, digits or underscores, starting with a letter or underscore; got '{name}'.",
                optionName);
        }
    }

    /// <summary>Tells whether <paramref name="name"/> is letters, digits and underscores of at most 63 characters, not starting with a digit.</summary>
    public static bool IsPlain(string? name) => name is not null && PlainIdentifier().IsMatch(name);

    // \z, not $: a $ also matches before a final newline, which would pass "webhooks\n" as a name of its own.
    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainIdentifier();
}
