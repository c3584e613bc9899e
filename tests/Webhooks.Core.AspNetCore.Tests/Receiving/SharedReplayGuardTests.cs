using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>Receivers behind a load balancer: a replay guard shared by several instances, set in the options or as a service.</summary>
public sealed class SharedReplayGuardTests
{
    private const string Body = """{"type":"order.created","timestamp":"2025-01-31T07:59:58Z","data":{"orderId":42}}""";

    private static readonly string BodyDigest = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Body)));

    [Test]
    public async Task Receive_ReplaySentToAnotherInstance_Returns401WhenTheyShareAGuard()
    {
        var guard = new DictionaryReplayGuard();
        await using var first = await ReceiverHost.StartAsync(o => Configure(o, guard));
        await using var second = await ReceiverHost.StartAsync(o => Configure(o, guard));
        var signedAt = first.Time.GetUtcNow();
        var signature = SignedRequest.Sign(SignedRequest.Secret, "msg_shared", signedAt.ToUnixTimeSeconds(), Body);

        using var accepted = await first.Client.SendAsync(SignedRequest.Create("/hooks", "msg_shared", signedAt.ToUnixTimeSeconds(), Body, signature));
        using var replayed = await second.Client.SendAsync(SignedRequest.Create("/hooks", "msg_shared", signedAt.ToUnixTimeSeconds(), Body, signature));

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await replayed.ReadProblemAsync(401);
        Assert.Multiple(() =>
        {
            Assert.That((string?)problem["detail"], Does.Contain("replay"));
            Assert.That(second.Handled, Is.Empty);
            Assert.That(guard.Recorded, Is.EqualTo(new Dictionary<string, DateTimeOffset>
            {
                // The tolerance, and the second the timestamp check reads the clock in.
                [$"msg_shared\n{signedAt.ToUnixTimeSeconds()}\n{BodyDigest}"] = signedAt.AddMinutes(2).AddSeconds(1),
            }));
        });
    }

    [Test]
    public async Task Receive_GuardRegisteredAsAService_IsUsedWhenTheOptionsSetNone()
    {
        var guard = new DictionaryReplayGuard();
        await using var receiver = await ReceiverHost.StartAsync(
            o => o.Secrets.Add(SignedRequest.Secret),
            services: s => s.AddSingleton<IWebhookReplayGuard>(guard));

        using var response = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_service", receiver.Time.GetUtcNow(), Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(guard.Recorded.Keys.Single(), Does.Contain("msg_service"));
    }

    [Test]
    public async Task Receive_GuardFails_Returns500AndSkipsTheHandler()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => Configure(o, new UnreachableReplayGuard()));

        using var response = await receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_unchecked", receiver.Time.GetUtcNow(), Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(receiver.Handled, Is.Empty);
    }

    private static void Configure(WebhookReceiverOptions options, IWebhookReplayGuard guard)
    {
        options.Secrets.Add(SignedRequest.Secret);
        options.Tolerance = TimeSpan.FromMinutes(2);
        options.ReplayGuard = guard;
    }

    /// <summary>A guard whose store cannot be reached.</summary>
    private sealed class UnreachableReplayGuard : IWebhookReplayGuard
    {
        public ValueTask<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            ValueTask.FromException<bool>(new InvalidOperationException("The replay store is unreachable."));
    }
}
