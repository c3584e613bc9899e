namespace Webhooks.Core.Internal;

/// <summary>The comparison operators.</summary>
internal enum ComparisonOperator
{
    /// <summary><c>eq</c>.</summary>
    Equal,

    /// <summary><c>ne</c>.</summary>
    NotEqual,

    /// <summary><c>gt</c>.</summary>
    GreaterThan,

    /// <summary><c>ge</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>lt</c>.</summary>
    LessThan,

    /// <summary><c>le</c>.</summary>
    LessThanOrEqual,
}
