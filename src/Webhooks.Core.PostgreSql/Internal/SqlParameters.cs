using Npgsql;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Positional parameters: typed, so values are not boxed, and null is sent as SQL NULL.</summary>
internal static class SqlParameters
{
    public static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    /// <summary>Adds the positional parameters <c>$1</c>, <c>$2</c>, … to a command or batch command.</summary>
    public static void AddAll(this NpgsqlParameterCollection parameters, params ReadOnlySpan<NpgsqlParameter> values)
    {
        foreach (var value in values)
        {
            parameters.Add(value);
        }
    }
}
