namespace Webhooks.Core.Tests.Health;

/// <summary>The health rules of <see cref="EndpointStateMachine.RecordAttempt"/>, including the HPE FAQ scenarios.</summary>
public sealed partial class EndpointStateMachineTests
{
    private readonly EndpointStateMachine _machine = new(new EndpointHealthOptions());

    [Test]
    public void RecordAttempt_FiveFailuresInARow_TurnsWarning()
    {
        var transitions = Attempts(Active(), "FFFFF");

        Assert.That(transitions[3].Config.Status, Is.EqualTo(WebhookStatus.Active));
        AssertOutcome(
            transitions[4],
            WebhookState.Enabled,
            WebhookStatus.Warning,
            "5 failed deliveries within the last 10 attempts.",
            WebhookNotificationKind.WebhookWarning);
    }

    [Test]
    public void RecordAttempt_FiveFailuresWithinTenAttempts_TurnsWarning()
    {
        // "If a webhook fails to acknowledge an event five times within ten attempts, the status changes to WARNING."
        var transitions = Attempts(Active(), "SFSFSFSFSF");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transitions[8].Config.Status, Is.EqualTo(WebhookStatus.Active));
            Assert.That(transitions[9].Config.Status, Is.EqualTo(WebhookStatus.Warning));
        }
    }

    [Test]
    public void RecordAttempt_FourFailuresWithinTenAttempts_StaysActive()
    {
        var last = Attempts(Active(), "FSSFSSFSSF")[^1];

        Assert.That(last.Config.Status, Is.EqualTo(WebhookStatus.Active));
    }

    [Test]
    public void RecordAttempt_FailuresOlderThanTheWindow_DoNotCount()
    {
        // 4 failures, 6 successes, then 4 failures: never 5 failures among the last 10 attempts.
        var last = Attempts(Active(), "FFFFSSSSSSFFFF")[^1];

        Assert.That(last.Config.Status, Is.EqualTo(WebhookStatus.Active));
    }

    [Test]
    public void RecordAttempt_TenFailuresInARow_TurnsErrorAndDisablesTheWebhook()
    {
        // "If a webhook fails to acknowledge an event ten times in a row, the status changes to ERROR.
        //  Additionally, the webhook will move to the DISABLED state."
        var transitions = Attempts(Active(), "FFFFFFFFFF");

        Assert.That(transitions[8].Config.Status, Is.EqualTo(WebhookStatus.Warning));
        AssertOutcome(
            transitions[9],
            WebhookState.Disabled,
            WebhookStatus.Error,
            "10 consecutive delivery failures.",
            WebhookNotificationKind.WebhookDisabled);
    }

    [Test]
    public void RecordAttempt_NineFailuresThenNineSuccesses_StaysWarningUntilTheTenthSuccess()
    {
        // "If a webhook fails to acknowledge an event nine times in a row, then you need ten successful events in a row
        //  to return to ACTIVE status."
        var transitions = Attempts(Active(), "FFFFFFFFF" + "SSSSSSSSSS");

        Assert.That(transitions[8..18].Select(t => t.Config.Status), Is.All.EqualTo(WebhookStatus.Warning));
        AssertOutcome(
            transitions[18],
            WebhookState.Enabled,
            WebhookStatus.Active,
            "10 consecutive successful deliveries.",
            WebhookNotificationKind.WebhookRecovered);
    }

    [Test]
    public void RecordAttempt_AlternatingFailures_WarnsButNeverErrorsNorRecovers()
    {
        var transitions = Attempts(Active(), string.Concat(Enumerable.Repeat("FS", 50)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transitions[7].Config.Status, Is.EqualTo(WebhookStatus.Active));
            Assert.That(transitions[8].Config.Status, Is.EqualTo(WebhookStatus.Warning));
            Assert.That(transitions.Skip(8).Select(t => t.Config.Status), Is.All.EqualTo(WebhookStatus.Warning));
            Assert.That(transitions.Count(t => t.Notification is not null), Is.EqualTo(1));
        }
    }

    [Test]
    public void RecordAttempt_SuccessBetweenFailures_ResetsTheConsecutiveCount()
    {
        var transitions = Attempts(Active(), "FFFFFFFFF" + "S" + "FFFFFFFFF" + "F");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transitions[18].Config.Status, Is.EqualTo(WebhookStatus.Warning));
            Assert.That(transitions[18].Config.State, Is.EqualTo(WebhookState.Enabled));
            Assert.That(transitions[19].Config.Status, Is.EqualTo(WebhookStatus.Error));
        }
    }

    [Test]
    public void RecordAttempt_SuccessBetweenFailures_DoesNotResetTheWindow()
    {
        var transitions = Attempts(Active(), "FFFFSF");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transitions[4].Config.Status, Is.EqualTo(WebhookStatus.Active));
            Assert.That(transitions[5].Config.Status, Is.EqualTo(WebhookStatus.Warning));
        }
    }

    [Test]
    public void RecordAttempt_FailureDuringRecovery_RestartsTheCountOfSuccesses()
    {
        var transitions = Attempts(Active(), "FFFFF" + "SSSSSSSSS" + "F" + "SSSSSSSSS" + "S");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transitions[^2].Config.Status, Is.EqualTo(WebhookStatus.Warning));
            Assert.That(transitions[^1].Config.Status, Is.EqualTo(WebhookStatus.Active));
        }
    }

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

    // State, status, reason and notification in one comparison, so a failure shows all four.
    private static void AssertOutcome(
        EndpointTransition transition,
        WebhookState state,
        WebhookStatus status,
        string? reason,
        WebhookNotificationKind? notification) =>
        Assert.That(
            (transition.Config.State, transition.Config.Status, transition.Config.StatusReason, transition.Notification),
            Is.EqualTo((state, status, reason, notification)));

    private static WebhookConfig Active() => new()
    {
        Id = "wh_1",
        TenantId = "tenant_1",
        Url = "https://example.com/hook",
        State = WebhookState.Enabled,
        Status = WebhookStatus.Active,
        VerificationMode = VerificationMode.None,
    };

    private List<EndpointTransition> Attempts(WebhookConfig config, string outcomes) => Attempts(_machine, config, outcomes);

    // 'S' is a 200 answer, 'F' a 500 answer; returns the transition of every attempt in order.
    private static List<EndpointTransition> Attempts(EndpointStateMachine machine, WebhookConfig config, string outcomes)
    {
        var transitions = new List<EndpointTransition>();
        foreach (char outcome in outcomes)
        {
            var transition = machine.RecordAttempt(config, outcome == 'S' ? 200 : 500);
            transitions.Add(transition);
            config = transition.Config;
        }

        return transitions;
    }
}
