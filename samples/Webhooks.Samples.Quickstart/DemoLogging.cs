namespace Webhooks.Samples.Quickstart;

/// <summary>What the demo's console shows besides its own lines.</summary>
public static class DemoLogging
{
    /// <summary>
    /// Warnings and errors, but only the errors of the library: its warnings (a webhook's status changed) repeat the
    /// notifications the demo prints; its errors (a store or a handler failing) are what a reader must see.
    /// </summary>
    /// <param name="logging">The host's logging.</param>
    /// <returns>The same logging builder.</returns>
    public static ILoggingBuilder ShowLibraryErrorsOnly(this ILoggingBuilder logging) =>
        logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Webhooks.Core", LogLevel.Error);
}
