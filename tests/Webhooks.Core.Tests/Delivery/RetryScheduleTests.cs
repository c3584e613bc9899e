namespace Webhooks.Core.Tests.Delivery;

public sealed class RetryScheduleTests
{
    [TestCase(1, 5)]
    [TestCase(2, 10)]
    [TestCase(3, 20)]
    [TestCase(4, 40)]
    [TestCase(10, 2560)]
    public void NextDelay_NoJitter_GrowsExponentiallyFromTheBase(int failedAttempts, int seconds)
    {
        var schedule = new RetrySchedule(new RetryOptions { Jitter = 0 });

        Assert.That(schedule.NextDelay(failedAttempts), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(16)]
    [TestCase(100)]
    [TestCase(int.MaxValue)]
    public void NextDelay_ManyFailures_IsCappedAtMaxDelay(int failedAttempts)
    {
        var schedule = new RetrySchedule(new RetryOptions { Jitter = 0 });

        Assert.That(schedule.NextDelay(failedAttempts), Is.EqualTo(TimeSpan.FromHours(24)));
    }

    [Test]
    public void NextDelay_SameSeed_GivesTheSameDelays()
    {
        var first = new RetrySchedule(new RetryOptions(), new Random(42));
        var second = new RetrySchedule(new RetryOptions(), new Random(42));

        var delays = Enumerable.Range(1, 20).Select(n => first.NextDelay(n)).ToList();

        Assert.That(Enumerable.Range(1, 20).Select(n => second.NextDelay(n)), Is.EqualTo(delays));
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(12)]
    public void NextDelay_Jitter_StaysWithinTwentyPercentAndUsesTheWholeSpread(int failedAttempts)
    {
        var schedule = new RetrySchedule(new RetryOptions(), new Random(7));
        var nominal = TimeSpan.FromSeconds(5 * Math.Pow(2, failedAttempts - 1));

        var delays = Enumerable.Range(0, 10_000).Select(_ => schedule.NextDelay(failedAttempts)!.Value).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delays, Is.All.InRange(nominal * 0.8, nominal * 1.2));
            Assert.That(delays.Min(), Is.LessThan(nominal * 0.82));
            Assert.That(delays.Max(), Is.GreaterThan(nominal * 1.18));
        }
    }

    [Test]
    public void NextDelay_JitterAtTheCap_NeverExceedsTheCap()
    {
        var cap = TimeSpan.FromHours(24);
        var schedule = new RetrySchedule(new RetryOptions(), new Random(7));

        var delays = Enumerable.Range(0, 10_000).Select(_ => schedule.NextDelay(30)!.Value).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delays, Is.All.InRange(cap * 0.8, cap));
            Assert.That(delays.Min(), Is.LessThan(cap * 0.82));
        }
    }

    [Test]
    public void NextDelay_ExplicitSchedule_UsesItsEntriesWithoutJitterThenGivesUp()
    {
        var options = new RetryOptions { Schedule = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)] };
        var schedule = new RetrySchedule(options, new Random(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.NextDelay(1), Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(schedule.NextDelay(2), Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(schedule.NextDelay(3), Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(schedule.NextDelay(4), Is.Null);
            Assert.That(schedule.NextDelay(4, TimeSpan.FromSeconds(1)), Is.Null);
        }
    }

    [Test]
    public void NextDelay_OptionsChangedAfterwards_KeepsTheScheduleItWasBuiltWith()
    {
        var options = new RetryOptions { Jitter = 0, Schedule = [TimeSpan.FromMinutes(1)] };
        var schedule = new RetrySchedule(options);

        options.Schedule[0] = TimeSpan.FromHours(1);
        options.Schedule.Add(TimeSpan.FromHours(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.NextDelay(1), Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(schedule.NextDelay(2), Is.Null);
        }
    }

    [Test]
    public void NextDelay_RetryAfter_WaitsTheLongerOfItAndTheComputedDelay()
    {
        var schedule = new RetrySchedule(new RetryOptions(), new Random(1));
        var same = new RetrySchedule(new RetryOptions(), new Random(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.NextDelay(1, TimeSpan.FromMinutes(2)), Is.EqualTo(TimeSpan.FromMinutes(2)));
            _ = same.NextDelay(1);
            Assert.That(schedule.NextDelay(12, TimeSpan.FromSeconds(1)), Is.EqualTo(same.NextDelay(12)).And.GreaterThan(TimeSpan.FromHours(2)));
        }
    }

    [TestCase(3, 3)]
    [TestCase(0.5, 1)]
    public void NextDelay_RetryAfterWithExplicitSchedule_WaitsTheLongerOfItAndTheEntry(double retryAfterMinutes, double expectedMinutes)
    {
        var schedule = new RetrySchedule(new RetryOptions { Schedule = [TimeSpan.FromMinutes(1)] });

        Assert.That(schedule.NextDelay(1, TimeSpan.FromMinutes(retryAfterMinutes)), Is.EqualTo(TimeSpan.FromMinutes(expectedMinutes)));
    }

    [Test]
    public void NextDelay_RetryAfterBeyondTheLimit_IsClampedToMaxRetryAfter()
    {
        var schedule = new RetrySchedule(new RetryOptions { MaxRetryAfter = TimeSpan.FromHours(1) });

        Assert.That(schedule.NextDelay(1, TimeSpan.FromDays(2)), Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [TestCase(-5)]
    [TestCase(0)]
    public void NextDelay_RetryAfterZeroOrNegative_WaitsTheComputedDelay(int seconds)
    {
        var schedule = new RetrySchedule(new RetryOptions { Jitter = 0 });

        Assert.That(schedule.NextDelay(1, TimeSpan.FromSeconds(seconds)), Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void NextDelay_ZeroBaseAndHugeAttemptCount_IsZero()
    {
        var schedule = new RetrySchedule(new RetryOptions { BaseDelay = TimeSpan.Zero });

        Assert.That(schedule.NextDelay(int.MaxValue), Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void NextDelay_NoFailedAttempt_Throws(int failedAttempts)
    {
        var schedule = new RetrySchedule(new RetryOptions());

        Assert.That(() => schedule.NextDelay(failedAttempts), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Constructor_MaxDelayBelowBase_Throws()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMinutes(5), MaxDelay = TimeSpan.FromMinutes(1) };

        Assert.That(() => new RetrySchedule(options), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Constructor_NegativeScheduleEntry_Throws()
    {
        var options = new RetryOptions { Schedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)] };

        Assert.That(
            () => new RetrySchedule(options),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("Schedule"));
    }
}
