using System.Diagnostics;
using System.Globalization;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>The quickstart stopped with Ctrl+C (SIGINT) while it waits for its deliveries.</summary>
[Platform("Linux,MacOsX")]
public sealed class QuickstartStopTests
{
    [Test]
    public async Task Run_CtrlCWhileWaiting_StopsAtOnceAndExitsCleanly()
    {
        using var process = QuickstartProcess.Start();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            // Interrupted as soon as its host runs: its deliveries cannot settle before the first retries, 250 ms later.
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith("Receiver listening", StringComparison.Ordinal))
            {
            }

            Assert.That(line, Is.Not.Null, "the quickstart ended before its host started");
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync(deadline.Token);
                Assert.That(interrupt.ExitCode, Is.Zero, "kill -INT failed");
            }


            var rest = await process.StandardOutput.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);

            // Before, Ctrl+C only signalled the host's lifetime, which nothing awaited: the demo went on to the end (or to
            // its 60 s guard, had a delivery hung).
            Assert.That(rest, Does.Contain("Stopped before the deliveries settled."));
            Assert.That(rest, Does.Not.Contain("Webhook 'broken'"));
            Assert.That(process.ExitCode, Is.Zero, await error);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException("The quickstart did not stop within a minute of Ctrl+C.");
        }
    }
}
