using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// A compiled event filter: an OData 4.0 subset (as in HPE Compute Ops Management) that decides whether an event
/// is delivered to a webhook. Parse it once when the webhook is saved, then call <see cref="Matches(string, JsonElement)"/>
/// for every event; instances are immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>
/// The language: comparisons <c>eq ne gt ge lt le</c>; <c>in</c> with a list of literals, <c>x in ('a','b')</c> or
/// <c>x in [1,2]</c>; <c>and</c>, <c>or</c>, <c>not</c> and parentheses; the functions <c>contains(a,b)</c>,
/// <c>startswith(a,b)</c>, <c>endswith(a,b)</c>, <c>tolower(a)</c> and <c>toupper(a)</c>; literals <c>'text'</c>
/// (<c>''</c> is a quote; no surrogate without its pair), numbers (<c>42</c>, <c>-1.5</c>, <c>1e3</c>), RFC 3339
/// timestamps written without quotes (<c>2024-01-01T00:00:00Z</c>), <c>true</c>, <c>false</c> and <c>null</c>. Keywords, function names and
/// <c>true</c>/<c>false</c>/<c>null</c> are case-insensitive; property names are case-sensitive.
/// Precedence, tightest first: parentheses, comparisons, <c>not</c>, <c>and</c>, <c>or</c>: <c>not</c> negates the
/// comparison, function call or parenthesised expression that follows it, so <c>not a eq 1</c> is
/// <c>not (a eq 1)</c> (strict OData reads <c>(not a) eq 1</c>, which compares nothing unless <c>a</c> is a boolean).
/// </para>
/// <para>
/// Properties: <c>type</c> is the event type; any other path, with <c>/</c> and no whitespace between names, is
/// looked up in the event data (<c>operation</c>, <c>new/name</c>, <c>old/hardware/health/summary</c>). Names are
/// identifiers (letters, digits and <c>_</c>, not starting with a digit); a name equal to an operator
/// (<c>and</c>, <c>eq</c>, ...) can only follow a <c>/</c>. A missing property is <c>null</c>. A property on its
/// own (<c>changed/name</c>) is true when it holds the JSON value <c>true</c>.
/// </para>
/// <para>
/// Semantics: <c>eq null</c> is true for a missing property or JSON <c>null</c>, <c>ne null</c> for anything else;
/// against any other literal a null is unequal (<c>ne</c> is true, orderings are false). Values of different types
/// (a string and a number, say) never compare: every operator, <c>ne</c> included, is false. Numbers compare
/// numerically, strings ordinally (UTF-16 code units), booleans only for equality, and a timestamp literal compares
/// as an instant with a JSON string holding an RFC 3339 time with an offset (a leap second, <c>23:59:60</c>, is the
/// instant it ends). <c>contains</c>, <c>startswith</c> and
/// <c>endswith</c> are ordinal and case-sensitive, and false when an argument is null; wrap an argument in
/// <c>tolower</c> or <c>toupper</c> (invariant culture) to ignore case.
/// </para>
/// <para>
/// Evaluation allocates nothing. Strings are compared in place where they can be; a string that must be decoded
/// (escaped, or passed through <c>tolower</c>/<c>toupper</c>, or ordered) uses a stack buffer, or a pooled array
/// when it is longer than 128 characters.
/// </para>
/// </remarks>
public sealed class EventFilter
{
    private readonly FilterPredicate _predicate;
    private readonly bool _remembersPaths;

    private EventFilter(string expression, FilterPredicate predicate, bool remembersPaths)
    {
        Expression = expression;
        _predicate = predicate;
        _remembersPaths = remembersPaths;
    }

    /// <summary>Gets the expression the filter was parsed from.</summary>
    public string Expression { get; }

    /// <summary>Parses and compiles a filter expression.</summary>
    /// <param name="expression">The expression, for example <c>type eq 'compute-ops/job' and contains(new/name, 'prod')</c>.</param>
    /// <returns>The compiled filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is <see langword="null"/>.</exception>
    /// <exception cref="FilterSyntaxException">The expression is not valid; the exception says where and why.</exception>
    public static EventFilter Parse(string expression)
    {
        return TryParse(expression, out var filter, out var error) ? filter : throw new FilterSyntaxException(error);
    }

    /// <summary>Parses and compiles a filter expression, reporting a syntax error instead of throwing.</summary>
    /// <param name="expression">The expression.</param>
    /// <param name="filter">The compiled filter, when the expression is valid.</param>
    /// <param name="error">Where and why the expression is invalid, when it is not.</param>
    /// <returns><see langword="true"/> when the expression is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is <see langword="null"/>.</exception>
    public static bool TryParse(
        string expression,
        [NotNullWhen(true)] out EventFilter? filter,
        [NotNullWhen(false)] out FilterSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var node = FilterParser.Parse(expression, out error);
        var pathSlots = 0;
        var predicate = node is null ? null : FilterCompiler.Compile(node, expression, out pathSlots, out error);
        if (predicate is null)
        {
            filter = null;
            return error is not null ? false : throw new UnreachableException("The filter parser failed without saying why.");
        }

        filter = new EventFilter(expression, predicate, pathSlots > 0);
        error = null;
        return true;
    }

    /// <summary>Evaluates the filter against an event whose data the caller has parsed once.</summary>
    /// <param name="eventType">The event type, which the property <c>type</c> resolves to.</param>
    /// <param name="data">The event data; properties other than <c>type</c> resolve into it. A default element means no data.</param>
    /// <returns><see langword="true"/> when the event matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A string the filter reads is not text: it escapes half of a surrogate pair (such as <c>"\ud800"</c> alone), which
    /// JSON's grammar allows but no string can hold.
    /// </exception>
    public bool Matches(string eventType, JsonElement data)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        try
        {
            if (!_remembersPaths)
            {
                return _predicate.Evaluate(new FilterScope(eventType, data, default));
            }

            var paths = default(ResolvedPaths);
            return _predicate.Evaluate(new FilterScope(eventType, data, paths));
        }
        catch (InvalidOperationException exception) when (data.ValueKind != JsonValueKind.Undefined)
        {
            // System.Text.Json throws this as it unescapes such a string; the event, not the filter, is at fault.
            throw new ArgumentException($"The event data cannot be filtered: {exception.Message}", nameof(data), exception);
        }
    }

    /// <summary>
    /// Evaluates the filter against an event whose data is UTF-8 JSON. This parses the data on each call, which
    /// allocates; to evaluate one event against many filters, parse it once and call <see cref="Matches(string, JsonElement)"/>.
    /// </summary>
    /// <param name="eventType">The event type.</param>
    /// <param name="utf8Json">The event data as UTF-8 JSON; empty means no data.</param>
    /// <returns><see langword="true"/> when the event matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException"><paramref name="utf8Json"/> is not valid JSON.</exception>
    /// <exception cref="ArgumentException">A string the filter reads is not text (see <see cref="Matches(string, JsonElement)"/>).</exception>
    public bool Matches(string eventType, ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            return Matches(eventType, default(JsonElement));
        }

        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException("The event data has content after its JSON value.");
        }

        return Matches(eventType, document.RootElement);
    }

    /// <summary>Returns the expression the filter was parsed from.</summary>
    /// <returns>The expression.</returns>
    public override string ToString() => Expression;
}
