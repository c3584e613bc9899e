using System.Diagnostics;

namespace Webhooks.Core.AspNetCore.Tests.Samples;

/// <summary>Runs the quickstart as the README does, as a process of its own with its output captured.</summary>
internal static class QuickstartProcess
{
    public static Process Start() => Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Webhooks.Samples.Quickstart.dll") },
    })!;
}
