using System.Diagnostics;

namespace Webhooks.Core.Tests.Engine;

/// <summary>Makes the library's activities be created and recorded for as long as the returned listener lives.</summary>
internal static class TracingListener
{
    public static ActivityListener Start()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = static s => s.Name == "Webhooks.Core",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
