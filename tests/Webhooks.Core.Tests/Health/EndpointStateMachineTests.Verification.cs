namespace Webhooks.Core.Tests.Health;

/// <summary>Verification start and outcome, and the transitions they may not make.</summary>
public sealed partial class EndpointStateMachineTests
{
    [TestCase(WebhookStatus.Active)]
    [TestCase(WebhookStatus.Warning)]
    [TestCase(WebhookStatus.Pending)]
    public void VerificationStarted_WithVerification_IsPendingWithAFreshWindow(WebhookStatus status)
    {
        var config = Active() with { Status = status, VerificationMode = VerificationMode.Challenge, Health = new HealthWindow(3, 2, 2, 0) };

        var transition = _machine.VerificationStarted(config);

        using (Assert.EnterMultipleScope())
        {
            AssertOutcome(transition, WebhookState.Enabled, WebhookStatus.Pending, "Webhook updated; verification pending.", null);
            Assert.That(transition.Config.Health, Is.EqualTo(default(HealthWindow)));
        }
    }

    [TestCase(WebhookStatus.Active)]
    [TestCase(WebhookStatus.Warning)]
    public void VerificationStarted_WithoutVerification_IsActiveAtOnce(WebhookStatus status)
    {
        var transition = _machine.VerificationStarted(Active() with { Status = status });

        AssertOutcome(transition, WebhookState.Enabled, WebhookStatus.Active, "Webhook updated.", null);
    }

    [TestCase(WebhookStatus.Disabled)]
    [TestCase(WebhookStatus.Error)]
    [TestCase(WebhookStatus.Warning)]
    public void VerificationStarted_Disabled_Throws(WebhookStatus status)
    {
        var config = Active() with { State = WebhookState.Disabled, Status = status, VerificationMode = VerificationMode.Challenge };

        Assert.That(
            () => _machine.VerificationStarted(config),
            Throws.TypeOf<InvalidTransitionException>().With.Message.Contains($"from Disabled/{status} to Enabled/Pending"));
    }

    [TestCase(VerificationMode.Challenge, "Webhook handshake accepted.")]
    [TestCase(VerificationMode.TestEvent, "Test event accepted.")]
    [TestCase(VerificationMode.None, "Webhook verified.")]
    public void VerificationSucceeded_Pending_IsActive(VerificationMode mode, string reason)
    {
        var transition = _machine.VerificationSucceeded(Pending(mode));

        AssertOutcome(transition, WebhookState.Enabled, WebhookStatus.Active, reason, null);
    }

    [Test]
    public void VerificationSucceeded_TestOfAWarningWebhookNineFailuresIn_StartsAFreshWindow()
    {
        var config = Active();
        for (var i = 0; i < 9; i++)
        {
            config = _machine.RecordAttempt(config, 500).Config;
        }

        Assert.That((config.Status, config.Health.ConsecutiveFailures), Is.EqualTo((WebhookStatus.Warning, 9)), "precondition");

        var tested = _machine.VerificationSucceeded(_machine.VerificationRequested(config).Config).Config;
        var failedOnce = _machine.RecordAttempt(tested, 500);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tested.Health, Is.EqualTo(default(HealthWindow)));
            Assert.That((failedOnce.Config.State, failedOnce.Config.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), "one failure after an accepted test");
        }
    }

    [TestCase(VerificationMode.Challenge, "Incorrect handshake response.")]
    [TestCase(VerificationMode.TestEvent, "Test event rejected.")]
    [TestCase(VerificationMode.None, "Verification failed.")]
    public void VerificationFailed_Pending_IsDisabledWithWarning(VerificationMode mode, string reason)
    {
        var transition = _machine.VerificationFailed(Pending(mode));

        AssertOutcome(transition, WebhookState.Disabled, WebhookStatus.Warning, reason, WebhookNotificationKind.WebhookDisabled);
    }

    [Test]
    public void VerificationFailed_WithReason_UsesIt()
    {
        var transition = _machine.VerificationFailed(Pending(VerificationMode.TestEvent), "The test event was answered 500.");

        Assert.That(transition.Config.StatusReason, Is.EqualTo("The test event was answered 500."));
    }

    [Test]
    public void VerificationFailed_Transition_BuildsTheNotification()
    {
        var notification = _machine.VerificationFailed(Pending(VerificationMode.Challenge)).ToNotification();

        Assert.That(
            notification,
            Is.EqualTo(new WebhookNotification(WebhookNotificationKind.WebhookDisabled, "wh_1", "tenant_1", "Incorrect handshake response.")));
    }

    [TestCase(WebhookStatus.Active)]
    [TestCase(WebhookStatus.Warning)]
    public void VerificationSucceeded_NotPending_Throws(WebhookStatus status)
    {
        var config = Active() with { Status = status, VerificationMode = VerificationMode.Challenge };

        Assert.That(
            () => _machine.VerificationSucceeded(config),
            Throws.TypeOf<InvalidTransitionException>()
                .With.Message.Contains($"from Enabled/{status} to Enabled/Active")
                .And.Message.Contains("only to a Pending webhook"));
    }

    [TestCase(WebhookStatus.Disabled)]
    [TestCase(WebhookStatus.Warning)]
    [TestCase(WebhookStatus.Error)]
    public void VerificationSucceeded_Disabled_ThrowsBecauseOnlyTheUserEnables(WebhookStatus status)
    {
        var config = Active() with { State = WebhookState.Disabled, Status = status, VerificationMode = VerificationMode.Challenge };

        Assert.That(
            () => _machine.VerificationSucceeded(config),
            Throws.TypeOf<InvalidTransitionException>()
                .With.Message.Contains($"from Disabled/{status} to Enabled/Active")
                .And.Message.Contains("only the user enables a webhook"));
    }

    [TestCase(WebhookState.Enabled, WebhookStatus.Active)]
    [TestCase(WebhookState.Disabled, WebhookStatus.Disabled)]
    public void VerificationFailed_NotPending_Throws(WebhookState state, WebhookStatus status)
    {
        var config = Active() with { State = state, Status = status, VerificationMode = VerificationMode.Challenge };

        Assert.That(
            () => _machine.VerificationFailed(config),
            Throws.TypeOf<InvalidTransitionException>().With.Message.Contains($"from {state}/{status} to Disabled/Warning"));
    }

    private static WebhookConfig Pending(VerificationMode mode) =>
        Active() with { Status = WebhookStatus.Pending, VerificationMode = mode };
}
