namespace Webhooks.Core.Tests.Health;

/// <summary>What counts as a failure, 410 Gone, configured thresholds and webhooks that are not sending.</summary>
public sealed partial class EndpointStateMachineTests
{
    [TestCase(200, true)]
    [TestCase(204, true)]
    [TestCase(299, true)]
    [TestCase(199, false)]
    [TestCase(302, false)]
    [TestCase(429, false)]
    [TestCase(500, false)]
    [TestCase(null, false)]
    public void RecordAttempt_StatusCode_CountsAsSuccessOnlyWhen2xx(int? statusCode, bool success)
    {
        var health = _machine.RecordAttempt(Active(), statusCode).Config.Health;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Count, Is.EqualTo(1));
            Assert.That(health.ConsecutiveSuccesses, Is.EqualTo(success ? 1 : 0));
            Assert.That(health.ConsecutiveFailures, Is.EqualTo(success ? 0 : 1));
        }
    }

    [TestCase(WebhookStatus.Active)]
    [TestCase(WebhookStatus.Warning)]
    public void RecordAttempt_410Gone_TurnsErrorAndDisablesAtOnce(WebhookStatus status)
    {
        var transition = _machine.RecordAttempt(Active() with { Status = status }, 410);

        AssertOutcome(transition, WebhookState.Disabled, WebhookStatus.Error, "The endpoint answered 410 Gone.", WebhookNotificationKind.WebhookDisabled);
    }

    [Test]
    public void RecordAttempt_NonDefaultThresholds_AppliesThemAndNamesThemInReasons()
    {
        var machine = new EndpointStateMachine(new EndpointHealthOptions
        {
            WindowSize = 4,
            WarningFailures = 2,
            ErrorConsecutiveFailures = 3,
            RecoveryConsecutiveSuccesses = 2,
        });

        var warned = Attempts(machine, Active(), "FSF");
        var recovered = Attempts(machine, warned[^1].Config, "SS");
        var failed = Attempts(machine, recovered[^1].Config, "FFF");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(warned[1].Config.Status, Is.EqualTo(WebhookStatus.Active));
            Assert.That(warned[2].Config.StatusReason, Is.EqualTo("2 failed deliveries within the last 4 attempts."));
            Assert.That(recovered[0].Config.Status, Is.EqualTo(WebhookStatus.Warning));
            Assert.That(recovered[1].Config.StatusReason, Is.EqualTo("2 consecutive successful deliveries."));
            // The window still holds a failure from before the recovery: one more makes two within the last 4.
            Assert.That(failed[0].Config.Status, Is.EqualTo(WebhookStatus.Warning));
            Assert.That(failed[2].Config.Status, Is.EqualTo(WebhookStatus.Error));
            Assert.That(failed[2].Config.StatusReason, Is.EqualTo("3 consecutive delivery failures."));
        }
    }

    [TestCase(WebhookState.Disabled, WebhookStatus.Disabled)]
    [TestCase(WebhookState.Disabled, WebhookStatus.Error)]
    [TestCase(WebhookState.Disabled, WebhookStatus.Warning)]
    [TestCase(WebhookState.Enabled, WebhookStatus.Pending)]
    public void RecordAttempt_NotSending_UpdatesOnlyTheWindow(WebhookState state, WebhookStatus status)
    {
        // For example attempts that were in flight when the user disabled the webhook.
        var config = Active() with { State = state, Status = status, StatusReason = "before" };

        var transitions = Attempts(config, "FFFFFFFFFFFF" + "SSSSSSSSSSSS");
        var gone = _machine.RecordAttempt(config, 410);

        using (Assert.EnterMultipleScope())
        {
            foreach (var transition in transitions.Append(gone))
            {
                AssertOutcome(transition, state, status, "before", null);
            }

            Assert.That(transitions[^1].Config.Health.Count, Is.EqualTo(24));
        }
    }

    [Test]
    public void Transitions_SpecTable_EventsFlowOnlyWhenActiveOrEnabledWarning()
    {
        var pending = _machine.Create(Active() with { VerificationMode = VerificationMode.Challenge }).Config;
        var handshakeFailed = _machine.VerificationFailed(pending).Config;
        var warning = Attempts(Active(), "FFFFF")[^1].Config;
        var error = Attempts(Active(), "FFFFFFFFFF")[^1].Config;
        var disabled = _machine.Disable(Active()).Config;

        var rows = new[] { pending, Active(), warning, handshakeFailed, error, disabled }
            .Select(c => (c.State, c.Status, c.IsSending));

        Assert.That(rows, Is.EqualTo(new[]
        {
            (WebhookState.Enabled, WebhookStatus.Pending, false),
            (WebhookState.Enabled, WebhookStatus.Active, true),
            (WebhookState.Enabled, WebhookStatus.Warning, true),
            (WebhookState.Disabled, WebhookStatus.Warning, false),
            (WebhookState.Disabled, WebhookStatus.Error, false),
            (WebhookState.Disabled, WebhookStatus.Disabled, false),
        }));
    }

    [Test]
    public void RecordAttempt_NoStatusChange_RaisesNoNotification()
    {
        var transition = _machine.RecordAttempt(Active(), 500);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.StatusChanged, Is.False);
            Assert.That(transition.Notification, Is.Null);
            Assert.That(transition.ToNotification(), Is.Null);
        }
    }
}
