using System.Runtime.InteropServices;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Messages this process has just enqueued, leased to its own dispatcher in the insert itself, so that the dispatcher
/// takes them without a claim round trip and the other instances are not woken for them.
/// </summary>
/// <remarks>
/// <para>
/// Only while a dispatcher of this store claims (its last claim is less than half a lease ago), and only as many
/// messages as it had room for after its last claim (what it asked for less what it got) wait here: a dispatcher
/// that is busy leaves new messages to the other instances, as its claims would. The rest are inserted unleased and
/// claimed as usual. The lease is as real as a claimed one: if this process stops, it lapses and any instance claims
/// the message again.
/// </para>
/// <para>
/// Times are on the dispatcher's clock: the <c>now</c> of its last claim, moved on by the time elapsed since. Leases
/// and due times then compare with the <c>now</c> the next claim passes, whatever clock the caller uses.
/// </para>
/// <para>
/// A claim served from here skips the database while nothing suggests it has due messages of its own: it asks it
/// when this process's messages do not fill the claim and a due notification arrived since it last asked (another
/// instance published, a held message was resumed, the listener reconnected) or <see cref="DatabaseClaimInterval"/>
/// has passed (retries falling due, lapsed leases of stopped instances).
/// </para>
/// </remarks>
internal sealed class LocalHandOff(TimeProvider timeProvider)
{
    /// <summary>How long claims served from here may leave the database unasked.</summary>
    public static readonly TimeSpan DatabaseClaimInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly List<MessageLease> _waiting = [];
    private readonly List<MessageLease> _revoked = [];
    private int _reserved;
    private int _room;
    private TimeSpan _leaseDuration;
    private DateTimeOffset _lastClaimNow;
    private long _lastClaimAt;
    private long _lastDatabaseClaimAt;
    private bool _databaseMayHaveDue = true;

    /// <summary>Gets how many messages wait for the dispatcher.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Notes that the database may hold due messages this process did not hand off.</summary>
    public void NoteDue() => Volatile.Write(ref _databaseMayHaveDue, true);

    /// <summary>
    /// Reserves room for up to <paramref name="wanted"/> messages about to be inserted. Returns how many may be leased
    /// (0 when no dispatcher claims), the dispatcher's current time and the lease expiry to write.
    /// </summary>
    public int Reserve(int wanted, out DateTimeOffset now, out DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            var sinceClaim = timeProvider.GetElapsedTime(_lastClaimAt);
            now = _lastClaimNow + sinceClaim;
            expiresAt = now + _leaseDuration;
            if (sinceClaim >= _leaseDuration / 2)
            {
                return 0;
            }

            var room = Math.Min(wanted, _room - _waiting.Count - _reserved);
            if (room <= 0)
            {
                return 0;
            }

            _reserved += room;
            return room;
        }
    }

    /// <summary>Ends a reservation of <paramref name="reserved"/> messages: the leases of those actually stored wait for the dispatcher.</summary>
    public void Add(int reserved, IEnumerable<MessageLease> stored)
    {
        lock (_gate)
        {
            _reserved -= reserved;
            _waiting.AddRange(stored);
        }
    }

    /// <summary>
    /// Takes up to <paramref name="maxCount"/> waiting messages due at <paramref name="now"/>, earliest due first, into
    /// <paramref name="leases"/>, and returns whether the database should be asked for the rest.
    /// </summary>
    public bool Take(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, List<MessageLease> leases)
    {
        var at = timeProvider.GetTimestamp();
        lock (_gate)
        {
            _leaseDuration = leaseDuration;
            _lastClaimNow = now;
            _lastClaimAt = at;

            if (_waiting.Count > 0)
            {
                // A lapsed lease may have been claimed by another instance already: the database hands it out again.
                _waiting.RemoveAll(lease => lease.ExpiresAt <= now);
                _waiting.Sort(static (a, b) => Nullable.Compare(a.Message.NextAttemptAt, b.Message.NextAttemptAt));
                var due = 0;
                while (due < _waiting.Count && due < maxCount && _waiting[due].Message.NextAttemptAt <= now)
                {
                    due++;
                }

                leases.AddRange(CollectionsMarshal.AsSpan(_waiting)[..due]);
                _waiting.RemoveRange(0, due);
            }

            _room = maxCount - leases.Count;

            var askDatabase = leases.Count < maxCount
                && (leases.Count == 0 || _databaseMayHaveDue || timeProvider.GetElapsedTime(_lastDatabaseClaimAt, at) >= DatabaseClaimInterval);
            if (askDatabase)
            {
                // Cleared before the claim runs: a notification during it sets it again.
                _databaseMayHaveDue = false;
                _lastDatabaseClaimAt = at;
            }

            return askDatabase;
        }
    }

    /// <summary>Notes that the claim after <see cref="Take"/> got <paramref name="count"/> messages from the database: that much less room.</summary>
    public void Claimed(int count)
    {
        lock (_gate)
        {
            _room -= count;
        }
    }

    /// <summary>
    /// Takes back the waiting messages that changed since their insert, here or in another instance, so that the
    /// dispatcher does not take them as they were inserted: message <paramref name="messageId"/>, or those of webhook
    /// <paramref name="webhookId"/> (changed, deleted, or added again over a deleted one's leftovers), or all of them
    /// (both <see langword="null"/>: notifications may have been missed). One already taken is under way, as after any
    /// claim. Their leases are given back by the next claim that asks the database, which then takes those still there
    /// and due, as they are now (<see cref="TakeRevoked"/>).
    /// </summary>
    public void Revoke(string? messageId, string? webhookId)
    {
        lock (_gate)
        {
            var all = messageId is null && webhookId is null;
            _waiting.RemoveAll(lease =>
            {
                if (!all && lease.Message.Id != messageId && lease.Message.WebhookId != webhookId)
                {
                    return false;
                }

                _revoked.Add(lease);
                return true;
            });
            _databaseMayHaveDue |= _revoked.Count > 0;
        }
    }

    /// <summary>Takes the leases <see cref="Revoke"/> took back, to be given back before the claim; <see langword="null"/> when there are none.</summary>
    public List<MessageLease>? TakeRevoked()
    {
        lock (_gate)
        {
            if (_revoked.Count == 0)
            {
                return null;
            }

            var revoked = new List<MessageLease>(_revoked);
            _revoked.Clear();
            return revoked;
        }
    }

    /// <summary>Takes out the waiting message <paramref name="messageId"/> about to be changed, if any, and returns its lease.</summary>
    public MessageLease? Remove(string messageId)
    {
        lock (_gate)
        {
            var index = _waiting.FindIndex(lease => lease.Message.Id == messageId);
            if (index < 0)
            {
                return null;
            }

            var lease = _waiting[index];
            _waiting.RemoveAt(index);
            return lease;
        }
    }

    /// <summary>Removes every waiting message, for their leases to be given back.</summary>
    public List<MessageLease> TakeAll()
    {
        lock (_gate)
        {
            var all = new List<MessageLease>(_waiting);
            all.AddRange(_revoked);
            _waiting.Clear();
            _revoked.Clear();
            _room = 0;
            return all;
        }
    }
}
