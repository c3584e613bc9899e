using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ClearExtensions;

namespace Webhooks.Core.AspNetCore.Tests.Management;

/// <summary>The management API on Kestrel over substitutes of the engine; the caller's tenant is the X-Tenant header.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string TenantHeader = "X-Tenant";

    private KestrelHost _host = null!;

    public IWebhookEndpoints Endpoints { get; } = WithItselfAsEveryTenantsView(Substitute.For<IWebhookEndpoints>());

    public IDeliveryLog Log { get; } = Substitute.For<IDeliveryLog>();

    public HttpClient Client => _host.Client;

    public WebApplication App => _host.App;

    public static async Task<ApiHost> StartAsync(Action<WebhookApiOptions>? configure = null, Action<RouteGroupBuilder>? conventions = null)
    {
        var api = new ApiHost();
        api._host = await KestrelHost.StartAsync(
            services =>
            {
                services.AddSingleton(api.Endpoints);
                services.AddSingleton(api.Log);
                services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
                services.AddAuthorization(o => o.AddPolicy("webhook-admins", p => p.RequireRole("admin")));
            },
            app =>
            {
                var routes = app.MapWebhooks("/webhooks", o =>
                {
                    o.TenantResolver = static context => ValueTask.FromResult<string?>(context.Request.Headers[TenantHeader]);
                    configure?.Invoke(o);
                });
                conventions?.Invoke(routes);
            });
        return api;
    }

    /// <summary>Forgets the calls and answers of the previous test.</summary>
    public void Reset()
    {
        Endpoints.ClearSubstitute();
        WithItselfAsEveryTenantsView(Endpoints);
        Log.ClearSubstitute();
    }

    /// <summary>The API acts through the caller's tenant's view: the substitute's calls are received by the substitute.</summary>
    private static IWebhookEndpoints WithItselfAsEveryTenantsView(IWebhookEndpoints endpoints)
    {
        endpoints.ForTenant(Arg.Any<string?>()).Returns(endpoints);
        return endpoints;
    }

    /// <summary>Makes the substitute hold a webhook.</summary>
    public WebhookConfig Holds(string id, string? tenantId = null, long generation = 3)
    {
        var config = Sample.Webhook(id, tenantId) with { Generation = generation };
        Endpoints.GetAsync(id, Arg.Any<CancellationToken>()).Returns(config);
        return config;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
