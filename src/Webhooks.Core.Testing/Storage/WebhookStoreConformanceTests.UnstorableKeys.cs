using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>
/// Keys no store can hold (a U+0000 character, which PostgreSQL refuses in text) match nothing in filters and bulk
/// operations, as an unknown key does: they arrive from outside, a <c>%00</c> in a route or a query string.
/// </content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>Listing the messages of a webhook id, or of an event type, with U+0000 finds none, and lists nothing else.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_KeysWithNul_MatchNothing()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));

        var byWebhook = await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1\0" }, None);
        var byEventType = await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", EventType = "order.created\0" }, None);

        Assert.That(byWebhook.Items, Is.Empty);
        Assert.That(byWebhook.Total, Is.Zero);
        Assert.That(byEventType.Items, Is.Empty);
        Assert.That(byEventType.Total, Is.Zero);
    }

    /// <summary>A tenant id with U+0000 has no configs, to list or to route to.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAndGetTenantConfigs_TenantWithNul_FindNothing()
    {
        await AddConfigsAsync(NewConfig("wh-1", tenantId: "tenant-1"));

        var listed = await Store.ListConfigsAsync(new WebhookConfigQuery { TenantId = "tenant-1\0" }, None);

        Assert.That(listed.Items, Is.Empty);
        Assert.That(listed.Total, Is.Zero);
        Assert.That(await Store.GetTenantConfigsAsync("tenant-1\0", None), Is.Empty);
    }

    /// <summary>Resuming or recovering a webhook id with U+0000 changes nothing.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ResumeHeldAndRequeueFailed_WebhookIdWithNul_ChangeNothing()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(
            NewMessage("held", "wh-1") with { NextAttemptAt = null },
            NewMessage("failed", "wh-1") with { Status = MessageStatus.Failed, NextAttemptAt = null });

        Assert.That(await Store.ResumeHeldAsync("wh-1\0", At(100), None), Is.Zero);
        Assert.That(await Store.RequeueFailedAsync("wh-1\0", At(0), At(100), None), Is.Zero);
        Assert.That((await GetMessageAsync("held")).NextAttemptAt, Is.Null);
        Assert.That((await GetMessageAsync("failed")).Status, Is.EqualTo(MessageStatus.Failed));
    }
}
