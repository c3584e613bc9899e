using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>A host's middleware that buffers the body and reads it (logging, say) leaves it at its end for the receiver.</summary>
public sealed class BufferedBodyReceiverTests
{
    [Test]
    public async Task Receive_HostMiddlewareBufferedAndReadTheBody_TheDeliveryIsVerifiedOverItAll()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero));
        await using var host = await KestrelHost.StartAsync(
            services => services.AddSingleton<TimeProvider>(time),
            app =>
            {
                app.Use(async (context, next) =>
                {
                    context.Request.EnableBuffering();
                    _ = await new StreamReader(context.Request.Body, leaveOpen: true).ReadToEndAsync();
                    await next();
                });
                app.MapWebhookReceiver("/hooks", o => o.Secrets.Add(SignedRequest.Secret), (received, _) => Task.FromResult(Results.Ok(received.Id)));
            });

        using var response = await host.Client.SendAsync(
            SignedRequest.Create("/hooks", "msg_buffered", time.GetUtcNow(), """{"type":"order.created","data":{"orderId":42}}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
