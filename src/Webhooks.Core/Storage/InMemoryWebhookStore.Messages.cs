using System.Runtime.InteropServices;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Messages: idempotent enqueueing, reading, listing and changes outside delivery.</content>
public sealed partial class InMemoryWebhookStore
{
    /// <inheritdoc/>
    /// <exception cref="WebhookConflictException">A message with the same id but another webhook or event is stored; nothing was stored.</exception>
    public ValueTask<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<DeliveryMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(messages[i], nameof(messages));
        }

        cancellationToken.ThrowIfCancellationRequested();
        List<string>? added = null;
        // A call of several messages (an event for several webhooks) may store each event once per webhook: an event it
        // published itself is no repeat. A call of one message needs neither set.
        HashSet<EventKey>? publishedHere = messages.Count > 1 ? [] : null;
        HashSet<(string WebhookId, EventKey Event)>? storedHere = messages.Count > 1 ? [] : null;
        lock (_messageLock)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                var key = EventKey.Of(message);

                // One lookup of the event: found, or added with no message yet (taken out again should the message not
                // be stored). The reference is used before the events change again.
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_events, key, out var seen);
                if (seen && publishedHere?.Contains(key) != true)
                {
                    continue; // The event was published before: it creates no new message, whichever webhook.
                }

                if (storedHere?.Add((message.WebhookId, key)) == false)
                {
                    continue; // Twice in this call for the same webhook.
                }

                var entry = new MessageEntry(message);
                if (!_messages.TryAdd(message.Id, entry))
                {
                    if (count == 0)
                    {
                        _events.Remove(key);
                    }

                    RemoveEntries(added?.ConvertAll(id => _messages[id]));
                    return ValueTask.FromException<IReadOnlyList<string>>(new WebhookConflictException(
                        $"A message with id '{message.Id}' already exists for another webhook or event."));
                }

                count++;
                if (!seen)
                {
                    publishedHere?.Add(key);
                }

                var webhook = WebhookMessagesOf(message.WebhookId);
                webhook.AddInCreationOrder(entry);
                Index(entry, webhook);
                (added ??= new List<string>(messages.Count)).Add(message.Id);
            }

            EvictFinishedOverflow();
        }

        return new(added is null ? [] : added);
    }

    /// <inheritdoc/>
    public ValueTask<DeliveryMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_messageLock)
        {
            return new(_messages.GetValueOrDefault(messageId)?.Message);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_messageLock)
        {
            return new(_messages.GetValueOrDefault(messageId)?.CopyAttempts() ?? []);
        }
    }

    /// <inheritdoc/>
    public ValueTask<WebhookPage<DeliveryMessage>> ListMessagesAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ValidatePage(query.Offset, query.Limit);
        cancellationToken.ThrowIfCancellationRequested();
        var items = new List<DeliveryMessage>();
        var total = 0;
        lock (_messageLock)
        {
            if (_webhookMessages.TryGetValue(query.WebhookId, out var webhook))
            {
                var messages = webhook.ByCreation;
                var first = query.CreatedFrom is { } from ? webhook.IndexOfCreatedAtOrAfter(from) : 0;
                var end = query.CreatedTo is { } to ? webhook.IndexOfCreatedAtOrAfter(to) : messages.Count;
                if (query.After is { } after)
                {
                    end = Math.Min(end, webhook.IndexOfPosition(after));
                }

                if (query.Status is null && query.EventType is null)
                {
                    // Every message in the range matches: index the page directly.
                    total = Math.Max(0, end - first);
                    for (var i = end - 1 - query.Offset; i >= first && items.Count < query.Limit; i--)
                    {
                        items.Add(messages[i].Message);
                    }
                }
                else
                {
                    for (var i = end - 1; i >= first; i--)
                    {
                        var message = messages[i].Message;
                        if (query.Matches(message) && total++ >= query.Offset && items.Count < query.Limit)
                        {
                            items.Add(message);
                        }
                    }
                }
            }
        }

        return new(new WebhookPage<DeliveryMessage>(items, total, query.Offset, query.Limit));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="change"/> runs outside the store's lock; when the message changed meanwhile it runs again on
    /// the new content. The change may set the delivery state only: the message's identity and payload are kept.
    /// </remarks>
    public ValueTask<DeliveryMessage?> UpdateMessageAsync(string messageId, Func<DeliveryMessage, DeliveryMessage?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeliveryMessage? current;
            lock (_messageLock)
            {
                current = _messages.GetValueOrDefault(messageId)?.Message;
            }

            if (current is null || change(current) is not { } changed)
            {
                return new(current);
            }

            lock (_messageLock)
            {
                if (!_messages.TryGetValue(messageId, out var entry))
                {
                    return new((DeliveryMessage?)null);
                }

                if (ReferenceEquals(entry.Message, current))
                {
                    if (entry.Placement == MessagePlacement.Leased)
                    {
                        // Its attempt may be under way: the lease stays, so that the message is not attempted twice at
                        // once and that attempt is recorded. The new time counts once the lease is released.
                        entry.Message = WithStoredIdentity(current, changed);
                        return new(entry.Message);
                    }

                    Unindex(entry);
                    entry.Message = WithStoredIdentity(current, changed);
                    Index(entry);
                    EvictFinishedOverflow();
                    return new(entry.Message);
                }
            }
        }
    }
}
