using Npgsql;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>The message side of a batch of outcomes as column arrays, for <c>unnest</c> (parameters $1 to $7).</summary>
internal sealed class OutcomeColumns
{
    private readonly string[] _ids;
    private readonly Guid[] _leaseIds;
    private readonly short[] _statuses;
    private readonly string?[] _reasons;
    private readonly int[] _attemptCounts;
    private readonly DateTimeOffset?[] _nextAttempts;
    private readonly string?[] _lastAttempts;

    public OutcomeColumns(IReadOnlyList<MessageOutcome> outcomes)
    {
        var count = outcomes.Count;
        _ids = new string[count];
        _leaseIds = new Guid[count];
        _statuses = new short[count];
        _reasons = new string?[count];
        _attemptCounts = new int[count];
        _nextAttempts = new DateTimeOffset?[count];
        _lastAttempts = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var outcome = outcomes[i];
            var message = outcome.Message;
            _ids[i] = message.Id;
            _leaseIds[i] = outcome.LeaseId;
            _statuses[i] = (short)message.Status;
            _reasons[i] = StoredText.Cleaned(message.StatusReason);
            _attemptCounts[i] = message.AttemptCount;
            _nextAttempts[i] = MessageMapper.Utc(message.NextAttemptAt);
            _lastAttempts[i] = MessageMapper.SerializeAttempt(message.LastAttempt);
        }
    }

    public void AddTo(NpgsqlParameterCollection parameters) => parameters.AddAll(
        Value(_ids), Value(_leaseIds), Value(_statuses), Value(_reasons), Value(_attemptCounts), Value(_nextAttempts), Value(_lastAttempts));
}
