using Npgsql;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// The delivery state each outcome of a batch expects its message still to have (<see cref="MessageOutcome.Expected"/>)
/// as column arrays, for <c>unnest</c> (parameters $8 to $12, after <see cref="OutcomeColumns"/>).
/// </summary>
internal sealed class ExpectedStateColumns
{
    private readonly bool[] _checked;
    private readonly short[] _statuses;
    private readonly string?[] _reasons;
    private readonly int[] _attemptCounts;
    private readonly DateTimeOffset?[] _nextAttempts;

    public ExpectedStateColumns(IReadOnlyList<MessageOutcome> outcomes)
    {
        var count = outcomes.Count;
        _checked = new bool[count];
        _statuses = new short[count];
        _reasons = new string?[count];
        _attemptCounts = new int[count];
        _nextAttempts = new DateTimeOffset?[count];
        for (var i = 0; i < count; i++)
        {
            if (outcomes[i].Expected is not { } expected)
            {
                continue;
            }

            // As stored: the same conversions as the writes, so that a message read back or handed off compares equal.
            _checked[i] = true;
            _statuses[i] = (short)expected.Status;
            _reasons[i] = StoredText.Cleaned(expected.StatusReason);
            _attemptCounts[i] = expected.AttemptCount;
            _nextAttempts[i] = MessageMapper.Utc(expected.NextAttemptAt);
        }
    }

    public void AddTo(NpgsqlParameterCollection parameters) => parameters.AddAll(
        Value(_checked), Value(_statuses), Value(_reasons), Value(_attemptCounts), Value(_nextAttempts));
}
