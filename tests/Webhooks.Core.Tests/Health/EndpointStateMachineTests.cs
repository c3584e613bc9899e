namespace Webhooks.Core.Tests.Health;

/// <summary>The health rules of <see cref="EndpointStateMachine.RecordAttempt"/> in the HPE FAQ scenarios.</summary>
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
