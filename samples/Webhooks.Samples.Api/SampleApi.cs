using Webhooks.Core;

namespace Webhooks.Samples.Api;

/// <summary>
/// A host that lets its users manage webhooks over REST (<c>/webhooks</c>) and publishes events posted to
/// <c>/events</c>. In memory by default; on PostgreSQL when <c>ConnectionStrings:Webhooks</c> is set.
/// </summary>
public static class SampleApi
{
    /// <summary>The header naming the caller's tenant. A real host takes the tenant from the authenticated user.</summary>
    public const string TenantHeader = "X-Tenant";

    /// <summary>Builds the app; tests start it with <c>--urls http://127.0.0.1:0</c>.</summary>
    /// <param name="args">
    /// The command line. Settings (also from environment variables such as <c>Webhooks__AllowHttp</c>):
    /// <c>--urls</c> (default <c>http://127.0.0.1:5080</c>), <c>--ConnectionStrings:Webhooks</c>,
    /// <c>--Webhooks:AllowHttp</c> and <c>--Webhooks:AllowLoopback</c> (default true),
    /// <c>--Webhooks:DefaultVerificationMode</c> (default Challenge), <c>--Webhooks:ChallengeHeaderName</c>,
    /// <c>--Webhooks:RetryBaseDelay</c> (default 00:00:05), <c>--Webhooks:PostgreSqlSchema</c> (default webhooks).
    /// </param>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        var settings = builder.Configuration.GetSection("Webhooks");
        var webhooks = builder.Services.AddWebhooks(o =>
        {
            // The sample delivers to receivers on this machine: plain http and loopback are allowed unless turned off.
            // Not for production: there they let any tenant's webhook reach this machine's own services (and read their
            // answers in the delivery log). Keep the defaults (https only, public addresses only) instead.
            o.AllowHttp = settings.GetValue("AllowHttp", true);
            if (settings.GetValue("AllowLoopback", true))
            {
                o.Http.AllowedAddresses.Add("127.0.0.1");
            }

            o.DefaultVerificationMode = settings.GetValue("DefaultVerificationMode", VerificationMode.Challenge);
            o.ChallengeHeaderName = settings.GetValue("ChallengeHeaderName", o.ChallengeHeaderName)!;
            o.Retry.BaseDelay = settings.GetValue("RetryBaseDelay", o.Retry.BaseDelay);
        });
        if (builder.Configuration.GetConnectionString("Webhooks") is { Length: > 0 } connectionString)
        {
            webhooks.UsePostgreSql(connectionString, o => o.SchemaName = settings.GetValue("PostgreSqlSchema", o.SchemaName)!);
        }
        else
        {
            webhooks.UseInMemoryStore();
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(static o => o.AddSchemaTransformer(ApiEnumSchemas.DescribeAsync).AddOperationTransformer(ApiQueryParameterSchemas.DescribeAsync));

        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapWebhooks("/webhooks", o => o.TenantResolver = static context => ValueTask.FromResult<string?>(context.Request.Headers[TenantHeader]));
        app.MapEvents("/events");
        app.MapOpenApi(); // GET /openapi/v1.json
        return app;
    }
}
