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

    /// <summary>
    /// Adds the messages after <paramref name="position"/> in the log's order (newest first, ties by id from the last):
    /// created earlier, or at the same time with a lower id, compared as the listing orders ids.
    /// </summary>
    public QueryFilter After(MessageLogPosition? position, string orderedId)
    {
        if (position is null)
        {
            return this;
        }

        var (time, id, cut) = AddPosition(position.CreatedAt, position.MessageId);
        return Condition($"created_at <= {time} AND (created_at, {orderedId}) {(cut == Cut.AtNul ? "<=" : "<")} ({time}, {id})");
    }

    /// <summary>
    /// Adds the configs after <paramref name="position"/> in the list's order (newest first, ties by id): created
    /// earlier, or at the same time with a higher id, compared as the listing orders ids.
    /// </summary>
    public QueryFilter After(WebhookListPosition? position, string orderedId)
    {
        if (position is null)
        {
            return this;
        }

        var (time, id, cut) = AddPosition(position.CreatedAt, position.WebhookId);
        return Condition($"created_at <= {time} AND (created_at < {time} OR {orderedId} {(cut == Cut.AtSurrogate ? ">=" : ">")} {id})");
    }

    /// <summary>
    /// Adds a position's time and id as parameters. The bound on created_at alone lets a listing index start at the
    /// position (the comparison of ids, in another collation than the index's, is checked row by row).
    /// </summary>
    /// <remarks>
    /// Text holds neither U+0000 nor a lone surrogate, and so no stored id has one; nor can a parameter. An id is cut
    /// at the first. Below an id with U+0000 are the ids up to its part before it, above it those above that part.
    /// A lone surrogate sits between U+D7FF and U+E000 in the order of code points (COLLATE "C"), which no stored
    /// character takes: below it are the ids below that part and U+E000, above it those from there.
    /// </remarks>
    private (string Time, string Id, Cut Cut) AddPosition(DateTimeOffset createdAt, string id)
    {
        var at = StoredText.IndexOfUnstorable(id);
        var (text, cut) = at < 0 ? (id, Cut.None) : id[at] == '\0' ? (id[..at], Cut.AtNul) : (id[..at] + "\uE000", Cut.AtSurrogate);
        _parameters.Add(() => SqlParameters.Value(MessageMapper.Utc(createdAt)));
        _parameters.Add(() => SqlParameters.Value(text));
        return ($"${_parameters.Count - 1}", $"${_parameters.Count}", cut);
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

    private enum Cut
    {
        None,
        AtNul,
        AtSurrogate,
    }
}
