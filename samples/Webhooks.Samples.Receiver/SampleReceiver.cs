namespace Webhooks.Samples.Receiver;

/// <summary>
/// A webhook receiver: <c>POST /hooks</c> verifies the Standard Webhooks signature and prints the event,
/// <c>GET /hooks</c> answers the handshake, <c>GET /received</c> lists what arrived.
/// </summary>
public static class SampleReceiver
{
    /// <summary>Builds the app; tests start it with <c>--urls http://127.0.0.1:0</c>.</summary>
    /// <param name="args">
    /// The command line. Settings (also from environment variables such as <c>Receiver__Secret</c>):
    /// <c>--urls</c> (default <c>http://127.0.0.1:5090</c>), <c>--Receiver:Secret</c> (the webhook's
    /// <c>whsec_…</c> secret; several, separated by spaces, during a rotation), <c>--Receiver:ChallengeHeaderName</c>
    /// (for HPE Compute Ops Management: <c>x-compute-ops-mgmt-verification-challenge</c>).
    /// </param>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5090");
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ReceivedEvents>();

        var app = builder.Build();
        var configuration = app.Configuration;
        var received = app.Services.GetRequiredService<ReceivedEvents>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Webhooks.Samples.Receiver");

        app.MapWebhookReceiver(
            "/hooks",
            o =>
            {
                o.ChallengeHeaderName = configuration["Receiver:ChallengeHeaderName"] ?? o.ChallengeHeaderName;

                // Read on every delivery, so a secret set after start (or a rotated one) applies at once.
                o.SecretResolver = _ => ValueTask.FromResult<IReadOnlyList<string>>(
                    (configuration["Receiver:Secret"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
            },
            (webhookEvent, context) =>
            {
                logger.LogInformation("Received {Type} {Id}: {Data}", webhookEvent.Type, webhookEvent.Id, webhookEvent.Data.GetRawText());
                received.Add(webhookEvent);
                return Task.FromResult(Results.NoContent());
            });
        app.MapGet("/received", () => received.Recent.Select(e => new { e.Id, e.Type, e.Timestamp, e.Data }));
        return app;
    }
}
