using System.Data;
using Npgsql;
using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <content>Statements shared by several operations.</content>
public sealed partial class PostgreSqlWebhookStore
{
    private NpgsqlBatchCommand Notify(string payload)
    {
        var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
        command.Parameters.AddAll(Value(_channel), Value(payload));
        return command;
    }

    /// <summary>
    /// Ids compared as the in-memory store compares them, ordinally, whatever the database's collation: in English say,
    /// <c>wh-_</c>, <c>wh-1</c>, <c>wh-a</c>, <c>wh-B</c> would sort as none of the stores does. <c>C</c> compares code
    /// points, which is ordinal but for the characters past U+FFFF. The listing indexes still read a page in creation
    /// order; only ties are sorted (an incremental sort).
    /// </summary>
    private const string OrdinalId = "id COLLATE \"C\"";

    /// <summary>The order of config listings: newest first, ties by id, as the in-memory store lists them.</summary>
    private const string ConfigOrder = $"created_at DESC, {OrdinalId}";

    /// <summary>The order of the delivery log: newest first, ties by id from the last (message ids grow with time), as the in-memory store lists it.</summary>
    private const string MessageOrder = $"created_at DESC, {OrdinalId} DESC";

    /// <summary>
    /// Reads the total and one page of a filtered table, in the order given, in one round trip and the commit. Both read
    /// one snapshot (REPEATABLE READ): in READ COMMITTED each statement takes its own, and a row committed between them
    /// would be on the page but not in the total, so that a client paging by the total stops one row early.
    /// </summary>
    private async Task<(List<T> Items, int Total)> ReadPageAsync<T>(
        string table, string columns, string order, QueryFilter filter, int offset, int limit, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using var batch = new NpgsqlBatch(connection, transaction);
                var count = new NpgsqlBatchCommand($"SELECT count(*)::int FROM {table}{filter.Where}");
                filter.AddParametersTo(count.Parameters);
                var next = filter.ParameterCount + 1;
                var page = new NpgsqlBatchCommand(
                    $"SELECT {columns} FROM {table}{filter.Where} ORDER BY {order} OFFSET ${next} LIMIT ${next + 1}");
                filter.AddParametersTo(page.Parameters);
                page.Parameters.AddAll(Value(offset), Value(limit));
                batch.BatchCommands.Add(count);
                batch.BatchCommands.Add(page);

                var items = new List<T>(Math.Min(limit, 1000));
                int total;
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    total = reader.GetInt32(0);
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        items.Add(read(reader));
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (items, total);
            }
        }
    }
}
