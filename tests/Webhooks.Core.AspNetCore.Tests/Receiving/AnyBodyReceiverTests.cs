using System.Net;
using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>A receiver with <see cref="WebhookReceiverOptions.RequireEvent"/> off takes any authentic body, as Standard Webhooks lets a provider send.</summary>
public sealed class AnyBodyReceiverTests
{
    private ReceiverHost _receiver = null!;

    [OneTimeSetUp]
    public async Task StartReceiver() => _receiver = await ReceiverHost.StartAsync(o =>
    {
        o.Secrets.Add(SignedRequest.Secret);
        o.RequireEvent = false;
    });

    [OneTimeTearDown]
    public async Task StopReceiver() => await _receiver.DisposeAsync();

    private DateTimeOffset Now => _receiver.Time.GetUtcNow();

    [TestCase("msg_any_json", """{"test": 2432232314}""", JsonValueKind.Object, TestName = "Receive_JsonThatIsNotAnEvent_HandsTheWholeBodyAsData")]
    [TestCase("msg_any_array", """[1, 2]""", JsonValueKind.Array, TestName = "Receive_JsonArray_HandsTheWholeBodyAsData")]
    [TestCase("msg_any_text", "plain text", JsonValueKind.Undefined, TestName = "Receive_BodyThatIsNotJson_HandsTheRawBodyOnly")]
    [TestCase("msg_any_bad_unicode", """{"type": "\ud800"}""", JsonValueKind.Undefined, TestName = "Receive_JsonWithUndecodableText_HandsTheRawBodyOnly")]
    public async Task Receive_AuthenticBody_IsHandledWithAnEmptyType(string id, string body, JsonValueKind dataKind)
    {
        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", id, Now, body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var handled = _receiver.Handled.Single(e => e.Id == id);
        Assert.Multiple(() =>
        {
            Assert.That(handled.Type, Is.Empty);
            Assert.That(handled.Timestamp, Is.Null);
            Assert.That(handled.Data.ValueKind, Is.EqualTo(dataKind));
            Assert.That(handled.Body.ToArray(), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(body)));
        });
    }

    [Test]
    public async Task Receive_Event_IsStillReadAsOne()
    {
        const string Body = """{"type":"order.created","timestamp":"2025-01-31T07:59:58Z","data":{"orderId":42}}""";

        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_any_event", Now, Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var handled = _receiver.Handled.Single(e => e.Id == "msg_any_event");
        Assert.Multiple(() =>
        {
            Assert.That(handled.Type, Is.EqualTo("order.created"));
            Assert.That(handled.Data.GetProperty("orderId").GetInt32(), Is.EqualTo(42));
        });
    }

    [Test]
    public async Task Receive_NotAuthentic_StillRefused()
    {
        using var response = await _receiver.Client.SendAsync(SignedRequest.Create("/hooks", "msg_any_forged", Now, "plain text", "whsec_" + Convert.ToBase64String(new byte[32])));

        await response.ReadProblemAsync(401);
        Assert.That(_receiver.Handled.Select(e => e.Id), Does.Not.Contain("msg_any_forged"));
    }
}
