namespace Webhooks.Core.Tests.Delivery;

/// <summary>Attempt outcomes: success, retry, undeliverable.</summary>
public sealed partial class MessageLifecycleTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Exponential = new(new RetryOptions { Jitter = 0 });
    private static readonly TimeSpan TenDays = TimeSpan.FromDays(10);

    [TestCase(MessageStatus.Created, 0)]
    [TestCase(MessageStatus.Retrying, 3)]
    public void Succeeded_Unfinished_IsSuccessWithTheAttemptRecorded(MessageStatus status, int attempts)
    {
        var attempt = Attempt(200);
        var message = Message(status) with { AttemptCount = attempts, NextAttemptAt = Created };

        var delivered = MessageLifecycle.Succeeded(message, attempt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivered.Status, Is.EqualTo(MessageStatus.Success));
            Assert.That(delivered.AttemptCount, Is.EqualTo(attempts + 1));
            Assert.That(delivered.LastAttempt, Is.SameAs(attempt));
            Assert.That(delivered.NextAttemptAt, Is.Null);
            Assert.That(delivered.IsFinished, Is.True);
        }
    }

    [Test]
    public void AttemptFailed_DelaysAndMaximumAgeAsLongAsTimeSpanAllows_DoNotOverflow()
    {
        var forever = new RetrySchedule(new RetryOptions { Jitter = 0, BaseDelay = TimeSpan.MaxValue / 4, MaxDelay = TimeSpan.MaxValue });
        var late = DateTimeOffset.MaxValue.AddSeconds(-1);

        var retrying = MessageLifecycle.AttemptFailed(Message(MessageStatus.Created), Attempt(500), Created, Exponential, TimeSpan.MaxValue);
        var pastTheCalendar = MessageLifecycle.AttemptFailed(Message(MessageStatus.Created) with { CreatedAt = late }, Attempt(500), late, Exponential, TimeSpan.MaxValue);
        var pastTheAge = MessageLifecycle.AttemptFailed(Message(MessageStatus.Created), Attempt(500), Created, forever, TenDays);
        var createdAhead = MessageLifecycle.AttemptFailed(Message(MessageStatus.Created) with { CreatedAt = Created.AddDays(1) }, Attempt(500), Created, Exponential, TimeSpan.MaxValue);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retrying.NextAttemptAt, Is.EqualTo(Created.AddSeconds(5)));
            Assert.That(pastTheCalendar.NextAttemptAt, Is.EqualTo(DateTimeOffset.MaxValue), "at the end of the calendar");
            Assert.That(pastTheAge.NextAttemptAt, Is.EqualTo(Created + TenDays), "a delay past the maximum age: the last attempt at it");
            Assert.That(createdAhead.Status, Is.EqualTo(MessageStatus.Retrying), "a clock set back counts as no age");
        }
    }

    [Test]
    public void AttemptFailed_FirstAttempt_RetriesAfterTheBaseDelay()
    {
        var now = Created.AddSeconds(1);
        var attempt = Attempt(500);

        var retrying = MessageLifecycle.AttemptFailed(Message(MessageStatus.Created), attempt, now, Exponential, TenDays);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retrying.Status, Is.EqualTo(MessageStatus.Retrying));
            Assert.That(retrying.NextAttemptAt, Is.EqualTo(now.AddSeconds(5)));
            Assert.That(retrying.AttemptCount, Is.EqualTo(1));
            Assert.That(retrying.LastAttempt, Is.SameAs(attempt));
        }
    }

    [Test]
    public void AttemptFailed_Repeatedly_BacksOffByTheAttemptCount()
    {
        var message = Message(MessageStatus.Created);
        var dueTimes = new List<DateTimeOffset?>();
        for (int i = 0; i < 3; i++)
        {
            message = MessageLifecycle.AttemptFailed(message, Attempt(500), Created, Exponential, TenDays);
            dueTimes.Add(message.NextAttemptAt);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dueTimes, Is.EqualTo(new DateTimeOffset?[] { Created.AddSeconds(5), Created.AddSeconds(10), Created.AddSeconds(20) }));
            Assert.That(message.AttemptCount, Is.EqualTo(3));
        }
    }

    [Test]
    public void AttemptFailed_RetryAfter_SchedulesByIt()
    {
        var retrying = MessageLifecycle.AttemptFailed(Message(MessageStatus.Created), Attempt(429), Created, Exponential, TenDays, TimeSpan.FromMinutes(7));

        Assert.That(retrying.NextAttemptAt, Is.EqualTo(Created.AddMinutes(7)));
    }

    [Test]
    public void AttemptFailed_NextAttemptAfterTheMaximumAge_IsMadeAtItInstead()
    {
        var now = Created + TenDays - TimeSpan.FromSeconds(4);

        var retrying = MessageLifecycle.AttemptFailed(Message(MessageStatus.Retrying), Attempt(500), now, Exponential, TenDays);

        using (Assert.EnterMultipleScope())
        {
            AssertOutcome(retrying, MessageStatus.Retrying, null, Created + TenDays);
            Assert.That(retrying.AttemptCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void AttemptFailed_RetryAfterBeyondTheMaximumAge_LastAttemptAtIt()
    {
        var now = Created + TenDays - TimeSpan.FromHours(1);

        var retrying = MessageLifecycle.AttemptFailed(Message(MessageStatus.Retrying), Attempt(429), now, Exponential, TenDays, TimeSpan.FromHours(6));

        AssertOutcome(retrying, MessageStatus.Retrying, null, Created + TenDays);
    }

    [TestCase(0)]
    [TestCase(90)]
    public void AttemptFailed_AtOrPastTheMaximumAge_IsUndeliverable(int secondsPast)
    {
        var now = Created + TenDays + TimeSpan.FromSeconds(secondsPast);

        var failed = MessageLifecycle.AttemptFailed(Message(MessageStatus.Retrying), Attempt(500), now, Exponential, TenDays);

        using (Assert.EnterMultipleScope())
        {
            AssertOutcome(failed, MessageStatus.Failed, "Undeliverable: not delivered within 10 days.", null);
            Assert.That(failed.AttemptCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void AttemptFailed_NextAttemptExactlyAtTheMaximumAge_StillRetries()
    {
        var now = Created + TenDays - TimeSpan.FromSeconds(5);

        var retrying = MessageLifecycle.AttemptFailed(Message(MessageStatus.Retrying), Attempt(500), now, Exponential, TenDays);

        Assert.That(retrying.NextAttemptAt, Is.EqualTo(Created + TenDays));
    }

    [TestCase(1, "Undeliverable: the retry schedule is exhausted after 1 attempt.")]
    [TestCase(2, "Undeliverable: the retry schedule is exhausted after 2 attempts.")]
    public void AttemptFailed_ExplicitScheduleExhausted_IsUndeliverable(int entries, string reason)
    {
        var schedule = new RetrySchedule(new RetryOptions { Schedule = [.. Enumerable.Repeat(TimeSpan.FromSeconds(1), entries - 1)] });
        var message = Message(MessageStatus.Retrying) with { AttemptCount = entries - 1 };

        var failed = MessageLifecycle.AttemptFailed(message, Attempt(500), Created, schedule, TenDays);

        AssertOutcome(failed, MessageStatus.Failed, reason, null);
    }

    [TestCase(MessageStatus.Success)]
    [TestCase(MessageStatus.Failed)]
    [TestCase(MessageStatus.Cancelled)]
    public void Attempts_Finished_Throw(MessageStatus status)
    {
        var message = Message(status);
        string expected = $"Cannot record an attempt for message 'msg_1' in status {status}: allowed only from Created or Retrying.";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => MessageLifecycle.Succeeded(message, Attempt(200)), Throws.TypeOf<InvalidTransitionException>().With.Message.EqualTo(expected));
            Assert.That(
                () => MessageLifecycle.AttemptFailed(message, Attempt(500), Created, Exponential, TenDays),
                Throws.TypeOf<InvalidTransitionException>().With.Message.EqualTo(expected));
        }
    }

    // Status, reason and due time in one comparison, so a failure shows all three.
    private static void AssertOutcome(DeliveryMessage message, MessageStatus status, string? reason, DateTimeOffset? nextAttemptAt) =>
        Assert.That((message.Status, message.StatusReason, message.NextAttemptAt), Is.EqualTo((status, reason, nextAttemptAt)));

    private static DeliveryMessage Message(MessageStatus status) => new()
    {
        Id = "msg_1",
        WebhookId = "wh_1",
        EventId = "evt_1",
        EventType = "order.created",
        Status = status,
        CreatedAt = Created,
    };

    private static DeliveryAttempt Attempt(int statusCode) => new()
    {
        Number = 1,
        Timestamp = Created,
        Url = "https://example.com/hook",
        StatusCode = statusCode,
    };
}
