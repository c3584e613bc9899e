using Npgsql;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>Both samples, started once per fixture, the API on the in-memory store or on PostgreSQL.</summary>
/// <param name="store"><c>memory</c>, or <c>postgresql</c> for the server named by <c>WEBHOOKS_POSTGRES</c> (in a schema of its own).</param>
public abstract class SampleFixture(string store = "memory")
{
    private const string PostgresVariable = "WEBHOOKS_POSTGRES";

    private string? _schema;
    private SampleHosts? _samples;

    internal SampleHosts Samples => _samples ?? throw new InvalidOperationException("The samples did not start.");

    [OneTimeSetUp]
    public async Task StartSamples()
    {
        string[] apiArgs = [];
        if (store == "postgresql")
        {
            // As the PostgreSQL tests do: fail rather than skip, so that a run without a server is not mistaken for a pass.
            var connectionString = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
                ? value
                : throw new AssertionException($"{PostgresVariable} is not set. Run eng/test.sh, which starts a throwaway PostgreSQL server.");
            _schema = "sample_" + Guid.NewGuid().ToString("N")[..20];
            apiArgs = [$"--ConnectionStrings:Webhooks={connectionString}", $"--Webhooks:PostgreSqlSchema={_schema}"];
        }

        _samples = await SampleHosts.StartAsync(apiArgs);
        Started();
    }

    [OneTimeTearDown]
    public async Task StopSamples()
    {
        // A start that failed (no PostgreSQL server) leaves nothing to stop: its own message is the one to read.
        if (_samples is not null)
        {
            await _samples.DisposeAsync();
        }

        if (_schema is not null)
        {
            await using var dataSource = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable(PostgresVariable)!);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Prepares the samples for the fixture's tests.</summary>
    protected virtual void Started()
    {
    }
}
