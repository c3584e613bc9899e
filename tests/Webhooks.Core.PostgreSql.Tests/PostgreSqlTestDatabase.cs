using Npgsql;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>The PostgreSQL server the tests run against, from <c>WEBHOOKS_POSTGRES</c>.</summary>
internal static class PostgreSqlTestDatabase
{
    public const string VariableName = "WEBHOOKS_POSTGRES";

    private static readonly Lazy<NpgsqlDataSource> Admin = new(() => NpgsqlDataSource.Create(ConnectionString));

    /// <summary>Gets the connection string; fails the test when none is configured, so no test is silently skipped.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(VariableName) is { Length: > 0 } value
            ? value
            : throw new AssertionException(
                $"{VariableName} is not set. Run eng/test.sh, which starts a throwaway PostgreSQL server for these tests, "
                + $"or set {VariableName} to a connection string of a database the tests may create schemas in.");

    /// <summary>Gets a data source for set-up and inspection done by the tests themselves.</summary>
    public static NpgsqlDataSource DataSource => Admin.Value;

    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public static async Task DropSchemaAsync(string schema)
    {
        await using var command = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteNonQueryAsync();
    }
}
