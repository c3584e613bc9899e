using Npgsql;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// The attempts of a batch of outcomes as column arrays, for <c>unnest</c> (parameters $8 to $15), each with the position
/// of its outcome in the batch, from 1: the attempt is logged only if that outcome is written.
/// </summary>
internal sealed class AttemptColumns
{
    private readonly List<long> _outcomes = [];
    private readonly List<int> _numbers = [];
    private readonly List<DateTimeOffset> _timestamps = [];
    private readonly List<string> _urls = [];
    private readonly List<int?> _statusCodes = [];
    private readonly List<long> _durations = [];
    private readonly List<string?> _responseBodies = [];
    private readonly List<string?> _errors = [];

    public AttemptColumns(IReadOnlyList<MessageOutcome> outcomes)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Attempt is not { } attempt)
            {
                continue;
            }

            _outcomes.Add(i + 1);
            _numbers.Add(attempt.Number);
            _timestamps.Add(MessageMapper.Utc(attempt.Timestamp));
            _urls.Add(StoredText.Cleaned(attempt.Url));
            _statusCodes.Add(attempt.StatusCode);
            _durations.Add(attempt.Duration.Ticks);
            _responseBodies.Add(StoredText.Cleaned(attempt.ResponseBody));
            _errors.Add(StoredText.Cleaned(attempt.Error));
        }
    }

    public void AddTo(NpgsqlParameterCollection parameters) => parameters.AddAll(
        Value(_outcomes.ToArray()),
        Value(_numbers.ToArray()),
        Value(_timestamps.ToArray()),
        Value(_urls.ToArray()),
        Value(_statusCodes.ToArray()),
        Value(_durations.ToArray()),
        Value(_responseBodies.ToArray()),
        Value(_errors.ToArray()));
}
