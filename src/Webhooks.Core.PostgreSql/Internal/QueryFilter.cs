using System.Text;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>A <c>WHERE</c> clause built from optional filters, each value a positional parameter.</summary>
internal sealed class QueryFilter
{
    private readonly StringBuilder _where = new();
    private readonly List<Func<NpgsqlParameter>> _parameters = [];

    public string Where => _where.ToString();

    public int ParameterCount => _parameters.Count;

    /// <summary>Adds <c>column op $n</c>.</summary>
    public QueryFilter Compare<T>(string column, string op, T value)
    {
        _parameters.Add(() => SqlParameters.Value(value));
        return Condition($"{column} {op} ${_parameters.Count}");
    }

    /// <summary>Adds <c>column = $n</c>, or <c>column IS NULL</c> when <paramref name="value"/> is null.</summary>
    public QueryFilter EqualOrNull(string column, string? value) =>
        value is null ? Condition($"{column} IS NULL") : Compare(column, "=", value);

    /// <summary>Adds <c>created_at</c> bounds: <paramref name="from"/> inclusive, <paramref name="to"/> exclusive, each optional.</summary>
    public QueryFilter CreatedBetween(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start)
        {
            Compare("created_at", ">=", MessageMapper.Utc(start));
        }

        return to is { } end ? Compare("created_at", "<", MessageMapper.Utc(end)) : this;
    }

    public QueryFilter Condition(string condition)
    {
        _where.Append(_where.Length == 0 ? " WHERE " : " AND ").Append(condition);
        return this;
    }

    /// <summary>Adds fresh copies of the parameters: a parameter belongs to one command only.</summary>
    public void AddParametersTo(NpgsqlParameterCollection parameters)
    {
        foreach (var create in _parameters)
        {
            parameters.Add(create());
        }
    }
}
