using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Brings the schema to the latest version. Instances starting together serialise on a transaction-scoped advisory lock,
/// so each script runs once; a schema already at the latest version is detected without DDL or locks.
/// </summary>
internal sealed class SchemaMigrator(NpgsqlDataSource dataSource, string schemaName, ILogger logger)
{
    // The first key of the two-key advisory lock, "WHKS"; the second is a hash of the schema name.
    private const int LockClass = 0x57484B53;

    private readonly string _schema = SqlIdentifier.Quote(schemaName, nameof(PostgreSqlStoreOptions.SchemaName));

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (await ReadVersionAsync(cancellationToken).ConfigureAwait(false) >= SchemaMigrations.Latest)
        {
            return;
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // READ COMMITTED whatever the server's default: each statement after the lock then sees what the instance
            // that held it committed (under REPEATABLE READ the snapshot would predate the lock, and the scripts run twice).
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Another instance may hold the lock for as long as its scripts take (see below): waiting for it is not
                // cut short by the command timeout either, or this instance would fail every call until that one is done.
                using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))", connection, transaction) { CommandTimeout = 0 })
                {
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockClass });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schemaName });
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database even when the schema exists, so
                // a role given a schema of its own and no more could not migrate it. Under the lock, the check and the
                // creation are one step.
                using (var command = new NpgsqlCommand("SELECT to_regnamespace($1) IS NULL", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema });
                    if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        using var create = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection, transaction);
                        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                var setup = $"""
                    CREATE TABLE IF NOT EXISTS {_schema}.schema_version (
                        version integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now());
                    """;
                using (var command = new NpgsqlCommand(setup, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                int current;
                using (var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {_schema}.schema_version", connection, transaction))
                {
                    current = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                foreach (var (version, description, script) in SchemaMigrations.All)
                {
                    if (version <= current)
                    {
                        continue;
                    }

                    // A script may take a while on a large schema (an index to build): it is not cut short by the
                    // command timeout, or the store would retry it on every call and never get past it.
                    using (var command = new NpgsqlCommand(script.Replace("{schema}", _schema, StringComparison.Ordinal), connection, transaction) { CommandTimeout = 0 })
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    using (var command = new NpgsqlCommand($"INSERT INTO {_schema}.schema_version (version, description) VALUES ($1, $2)", connection, transaction))
                    {
                        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    Log.SchemaMigrated(logger, schemaName, version, description);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the recorded schema version, 0 when the schema or its version table does not exist.</summary>
    public async Task<int> ReadVersionAsync(CancellationToken cancellationToken)
    {
        using var command = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema + ".schema_version" });
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        using var read = dataSource.CreateCommand($"SELECT coalesce(max(version), 0) FROM {_schema}.schema_version");
        return (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
