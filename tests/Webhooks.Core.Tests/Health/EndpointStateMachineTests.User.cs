namespace Webhooks.Core.Tests.Health;

/// <summary>Create, enable and disable: the changes only the user makes.</summary>
public sealed partial class EndpointStateMachineTests
{
    [TestCase(VerificationMode.Challenge)]
    [TestCase(VerificationMode.TestEvent)]
    public void Create_EnabledWithVerification_IsPending(VerificationMode mode)
    {
        var transition = _machine.Create(New(WebhookState.Enabled, mode));

        AssertOutcome(transition, WebhookState.Enabled, WebhookStatus.Pending, "Webhook created; verification pending.", null);
    }

    [Test]
    public void Create_EnabledWithoutVerification_IsActive()
    {
        var transition = _machine.Create(New(WebhookState.Enabled, VerificationMode.None));

        AssertOutcome(transition, WebhookState.Enabled, WebhookStatus.Active, "Webhook created.", null);
    }

    [Test]
    public void Create_Disabled_IsDisabled()
    {
        var transition = _machine.Create(New(WebhookState.Disabled, VerificationMode.Challenge));

        AssertOutcome(transition, WebhookState.Disabled, WebhookStatus.Disabled, "Webhook created disabled.", null);
    }

    [TestCase(VerificationMode.Challenge, WebhookStatus.Pending)]
    [TestCase(VerificationMode.TestEvent, WebhookStatus.Pending)]
    [TestCase(VerificationMode.None, WebhookStatus.Active)]
    public void Enable_UserDisabled_VerifiesOrActivatesByMode(VerificationMode mode, WebhookStatus expected)
    {
        var disabled = _machine.Disable(Active() with { VerificationMode = mode }).Config;

        var transition = _machine.Enable(disabled);

        using (Assert.EnterMultipleScope())
        {
            AssertOutcome(transition, WebhookState.Enabled, expected, "User enabled the webhook.", null);
            Assert.That((transition.PreviousState, transition.PreviousStatus), Is.EqualTo((WebhookState.Disabled, WebhookStatus.Disabled)));
            Assert.That(transition.StatusChanged, Is.True);
        }
    }

    [Test]
    public void Enable_AfterSystemDisabledForFailures_ResetsTheHealthWindow()
    {
        var failed = Attempts(Active(), "FFFFFFFFFF")[^1].Config;

        var enabled = _machine.Enable(failed).Config;
        var afterOneFailure = _machine.RecordAttempt(enabled, 500).Config;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Status, Is.EqualTo(WebhookStatus.Error));
            Assert.That(enabled.Status, Is.EqualTo(WebhookStatus.Active));
            Assert.That(enabled.Health, Is.EqualTo(default(HealthWindow)));
            Assert.That(afterOneFailure.Status, Is.EqualTo(WebhookStatus.Active));
        }
    }

    [Test]
    public void Enable_AfterFailedHandshake_StartsVerificationAgain()
    {
        var pending = Active() with { Status = WebhookStatus.Pending, VerificationMode = VerificationMode.Challenge };
        var failed = _machine.VerificationFailed(pending).Config;

        var transition = _machine.Enable(failed);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Config.State, Is.EqualTo(WebhookState.Enabled));
            Assert.That(transition.Config.Status, Is.EqualTo(WebhookStatus.Pending));
        }
    }

    [TestCase(WebhookStatus.Pending)]
    [TestCase(WebhookStatus.Active)]
    [TestCase(WebhookStatus.Warning)]
    public void Enable_AlreadyEnabled_ChangesNothing(WebhookStatus status)
    {
        var config = Active() with { Status = status, StatusReason = "before", Health = new HealthWindow(1, 1, 1, 0) };

        var transition = _machine.Enable(config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Config, Is.SameAs(config));
            Assert.That(transition.StatusChanged, Is.False);
            Assert.That(transition.Notification, Is.Null);
        }
    }

    [TestCase(WebhookState.Enabled, WebhookStatus.Pending)]
    [TestCase(WebhookState.Enabled, WebhookStatus.Active)]
    [TestCase(WebhookState.Enabled, WebhookStatus.Warning)]
    [TestCase(WebhookState.Disabled, WebhookStatus.Warning)]
    [TestCase(WebhookState.Disabled, WebhookStatus.Error)]
    public void Disable_AnyOtherStatus_IsDisabledByTheUser(WebhookState state, WebhookStatus status)
    {
        var transition = _machine.Disable(Active() with { State = state, Status = status });

        AssertOutcome(transition, WebhookState.Disabled, WebhookStatus.Disabled, "User disabled the webhook.", null);
    }

    [Test]
    public void Disable_AlreadyDisabledByTheUser_ChangesNothing()
    {
        var disabled = _machine.Disable(Active()).Config;

        var transition = _machine.Disable(disabled);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Config, Is.SameAs(disabled));
            Assert.That(transition.StatusChanged, Is.False);
        }
    }

    [Test]
    public void Constructor_WarningFailuresAboveWindowSize_Throws()
    {
        var options = new EndpointHealthOptions { WindowSize = 4, WarningFailures = 5 };

        Assert.That(() => new EndpointStateMachine(options), Throws.ArgumentException.With.Message.Contains("WarningFailures (5)"));
    }

    [TestCase(0)]
    [TestCase(65)]
    public void Constructor_WindowSizeOutOfRange_Throws(int windowSize)
    {
        var options = new EndpointHealthOptions { WindowSize = windowSize, WarningFailures = 1 };

        Assert.That(() => new EndpointStateMachine(options), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    private static WebhookConfig New(WebhookState state, VerificationMode mode) => new()
    {
        Id = "wh_new",
        Url = "https://example.com/hook",
        State = state,
        VerificationMode = mode,
    };
}
