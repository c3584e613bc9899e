using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>
/// An operand's value during evaluation: a JSON element from the event data, text (the event type, or text decoded
/// into a buffer), a literal, or a computed boolean. It lives on the stack and refers to what it came from.
/// </summary>
internal readonly ref struct FilterValue
{
    private FilterValue(FilterValueKind kind, JsonElement element, ReadOnlySpan<char> text, FilterLiteral? literal, bool boolean, bool isJson)
    {
        Kind = kind;
        Element = element;
        Text = text;
        Literal = literal;
        Boolean = boolean;
        IsJson = isJson;
    }

    /// <summary>Gets the value's type.</summary>
    public FilterValueKind Kind { get; }

    /// <summary>Gets a value indicating whether the value is <see cref="Element"/>, still undecoded JSON.</summary>
    public bool IsJson { get; }

    /// <summary>Gets the JSON element, when <see cref="IsJson"/>.</summary>
    public JsonElement Element { get; }

    /// <summary>Gets the text of a string that is not <see cref="IsJson"/>.</summary>
    public ReadOnlySpan<char> Text { get; }

    /// <summary>Gets the literal the value is, if it is one.</summary>
    public FilterLiteral? Literal { get; }

    /// <summary>Gets the value of a <see cref="FilterValueKind.Boolean"/>.</summary>
    public bool Boolean { get; }

    /// <summary>Creates the value of a JSON element; an undefined element (a missing property) is null.</summary>
    /// <param name="element">The element.</param>
    /// <returns>The value.</returns>
    public static FilterValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new(FilterValueKind.String, element, default, null, false, isJson: true),
        JsonValueKind.Number => new(FilterValueKind.Number, element, default, null, false, isJson: true),
        JsonValueKind.True => FromBoolean(true),
        JsonValueKind.False => FromBoolean(false),
        JsonValueKind.Object or JsonValueKind.Array => new(FilterValueKind.Other, element, default, null, false, isJson: true),
        _ => default,
    };

    /// <summary>Creates a string value from text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    public static FilterValue FromText(ReadOnlySpan<char> text) => new(FilterValueKind.String, default, text, null, false, isJson: false);

    /// <summary>Creates the value of a literal.</summary>
    /// <param name="literal">The literal.</param>
    /// <returns>The value.</returns>
    public static FilterValue FromLiteral(FilterLiteral literal)
        => new(literal.Kind, default, literal.Text, literal, literal.Boolean, isJson: false);

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static FilterValue FromBoolean(bool value) => new(FilterValueKind.Boolean, default, default, null, value, isJson: false);

    /// <summary>Creates a value that no operator applies to, such as <c>tolower</c> of a number.</summary>
    /// <returns>The value.</returns>
    public static FilterValue Incomparable() => new(FilterValueKind.Other, default, default, null, false, isJson: false);
}
