namespace Webhooks.Core.Tests.Delivery;

/// <summary>Cancel, retry now, hold, resume and expire.</summary>
public sealed partial class MessageLifecycleTests
{
    [TestCase(MessageStatus.Created)]
    [TestCase(MessageStatus.Retrying)]
    public void Cancel_Unfinished_IsCancelled(MessageStatus status)
    {
        var cancelled = MessageLifecycle.Cancel(Message(status) with { NextAttemptAt = Created });

        AssertOutcome(cancelled, MessageStatus.Cancelled, "Cancelled by the user.", null);
    }

    [TestCase(MessageStatus.Success)]
    [TestCase(MessageStatus.Failed)]
    [TestCase(MessageStatus.Cancelled)]
    public void Cancel_Finished_Throws(MessageStatus status)
    {
        Assert.That(
            () => MessageLifecycle.Cancel(Message(status)),
            Throws.TypeOf<InvalidTransitionException>()
                .With.Message.EqualTo($"Cannot cancel message 'msg_1' in status {status}: allowed only from Created or Retrying."));
    }

    [Test]
    public void Cancel_Success_ThrowsNamingTheStatusAndTheAllowedOnes()
    {
        var refused = Assert.Throws<InvalidTransitionException>(() => MessageLifecycle.Cancel(Message(MessageStatus.Success)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.CurrentStatus, Is.EqualTo(MessageStatus.Success));
            Assert.That(refused.AllowedStatuses, Is.EqualTo(new[] { MessageStatus.Created, MessageStatus.Retrying }));
        }
    }

    [Test]
    public void RetryNow_Created_ThrowsNamingTheStatusAndTheAllowedOnes()
    {
        var refused = Assert.Throws<InvalidTransitionException>(() => MessageLifecycle.RetryNow(Message(MessageStatus.Created), Created));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.CurrentStatus, Is.EqualTo(MessageStatus.Created));
            Assert.That(refused.AllowedStatuses, Is.EqualTo(new[] { MessageStatus.Retrying, MessageStatus.Failed }));
        }
    }

    [TestCase(MessageStatus.Retrying)]
    [TestCase(MessageStatus.Failed)]
    public void RetryNow_RetryingOrFailed_IsDueNow(MessageStatus status)
    {
        var now = Created.AddDays(11);

        var retrying = MessageLifecycle.RetryNow(Message(status) with { AttemptCount = 4 }, now);

        using (Assert.EnterMultipleScope())
        {
            AssertOutcome(retrying, MessageStatus.Retrying, "Retry requested by the user.", now);
            Assert.That(retrying.AttemptCount, Is.EqualTo(4));
        }
    }

    [TestCase(MessageStatus.Created)]
    [TestCase(MessageStatus.Success)]
    [TestCase(MessageStatus.Cancelled)]
    public void RetryNow_OtherStatus_Throws(MessageStatus status)
    {
        Assert.That(
            () => MessageLifecycle.RetryNow(Message(status), Created),
            Throws.TypeOf<InvalidTransitionException>()
                .With.Message.EqualTo($"Cannot retry message 'msg_1' in status {status}: allowed only from Retrying or Failed."));
    }

    [TestCase(MessageStatus.Created)]
    [TestCase(MessageStatus.Retrying)]
    public void Hold_Unfinished_ClearsTheDueTimeAndKeepsTheStatus(MessageStatus status)
    {
        var held = MessageLifecycle.Hold(Message(status) with { NextAttemptAt = Created });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(held.Status, Is.EqualTo(status));
            Assert.That(held.NextAttemptAt, Is.Null);
        }
    }

    [Test]
    public void Resume_Held_IsDueNow()
    {
        var now = Created.AddHours(3);
        var held = MessageLifecycle.Hold(Message(MessageStatus.Retrying) with { NextAttemptAt = Created });

        Assert.That(MessageLifecycle.Resume(held, now).NextAttemptAt, Is.EqualTo(now));
    }

    [Test]
    public void Resume_StillScheduled_KeepsItsTime()
    {
        var scheduled = Message(MessageStatus.Retrying) with { NextAttemptAt = Created.AddHours(5) };

        Assert.That(MessageLifecycle.Resume(scheduled, Created).NextAttemptAt, Is.EqualTo(Created.AddHours(5)));
    }

    [Test]
    public void Expire_Unfinished_IsFailedWithTheReason()
    {
        var expired = MessageLifecycle.Expire(Message(MessageStatus.Created) with { NextAttemptAt = Created }, "Undeliverable: expired after 10 days.");

        AssertOutcome(expired, MessageStatus.Failed, "Undeliverable: expired after 10 days.", null);
    }

    [TestCase(MessageStatus.Success)]
    [TestCase(MessageStatus.Failed)]
    [TestCase(MessageStatus.Cancelled)]
    public void HoldResumeExpire_Finished_Throw(MessageStatus status)
    {
        var message = Message(status);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => MessageLifecycle.Hold(message), Throws.TypeOf<InvalidTransitionException>().With.Message.Contains($"hold message 'msg_1' in status {status}"));
            Assert.That(() => MessageLifecycle.Resume(message, Created), Throws.TypeOf<InvalidTransitionException>().With.Message.Contains("allowed only from Created or Retrying"));
            Assert.That(() => MessageLifecycle.Expire(message, "late"), Throws.TypeOf<InvalidTransitionException>().With.Message.Contains($"expire message 'msg_1' in status {status}"));
        }
    }

    [Test]
    public void Expire_BlankReason_Throws()
    {
        Assert.That(() => MessageLifecycle.Expire(Message(MessageStatus.Created), " "), Throws.ArgumentException);
    }
}
