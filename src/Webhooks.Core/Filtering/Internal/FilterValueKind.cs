namespace Webhooks.Core.Internal;

/// <summary>The types a filter value can have; values of different types never compare.</summary>
internal enum FilterValueKind : byte
{
    /// <summary>JSON <c>null</c>, a missing property or the <c>null</c> literal.</summary>
    Null,

    /// <summary>A string.</summary>
    String,

    /// <summary>A number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A timestamp literal; it also compares with strings holding an RFC 3339 time.</summary>
    Timestamp,

    /// <summary>A JSON object or array, or a value no operator applies to.</summary>
    Other,
}
