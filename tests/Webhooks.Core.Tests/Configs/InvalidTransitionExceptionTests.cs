namespace Webhooks.Core.Tests.Configs;

public sealed class InvalidTransitionExceptionTests
{
    [Test]
    public void Constructor_WithText_HasNoMessageStatus()
    {
        var refused = new InvalidTransitionException("Webhook 'x' was disabled by its owner; enable it to test it.");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.CurrentStatus, Is.Null);
            Assert.That(refused.AllowedStatuses, Is.Empty);
        }
    }

    [Test]
    public void Constructor_WithStatuses_KeepsACopyOfTheAllowedOnes()
    {
        var allowed = new List<MessageStatus> { MessageStatus.Retrying, MessageStatus.Failed };

        var refused = new InvalidTransitionException("Cannot retry.", MessageStatus.Success, allowed);
        allowed.Add(MessageStatus.Created);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Message, Is.EqualTo("Cannot retry."));
            Assert.That(refused.CurrentStatus, Is.EqualTo(MessageStatus.Success));
            Assert.That(refused.AllowedStatuses, Is.EqualTo(new[] { MessageStatus.Retrying, MessageStatus.Failed }));
        }
    }
}
