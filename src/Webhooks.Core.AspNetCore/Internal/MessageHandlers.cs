using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The delivery log routes of the management API. Every route first checks the webhook is the caller's.</summary>
/// <param name="options">The API options.</param>
/// <param name="scope">Keeps callers within their tenant.</param>
internal sealed class MessageHandlers(WebhookApiOptions options, TenantScope scope)
{
    public async Task<IResult> ListAsync(
        HttpContext context,
        string id,
        [AsParameters] MessageListParameters parameters,
        [FromServices] IWebhookEndpoints endpoints,
        [FromServices] IDeliveryLog log,
        CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        query.RefuseUnknown(context, options);
        var (from, to, offset, limit) = query.Page(parameters, options);
        var messageQuery = new MessageQuery
        {
            WebhookId = id,
            Status = query.Enum<MessageStatus>(parameters.Status, "status"),
            EventType = query.EventType(parameters.EventType, "eventType"),
            CreatedFrom = from,
            CreatedTo = to,
            After = query.LogPosition(parameters.After, "after"),
            Offset = offset,
            Limit = limit,
        };
        if (query.Problems.Count > 0)
        {
            return ApiProblems.Validation(query.Problems);
        }

        if (await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false) is not { } webhook)
        {
            return ApiProblems.WebhookNotFound(id);
        }

        var page = OfTenant(await log.ListAsync(messageQuery, cancellationToken).ConfigureAwait(false), webhook.TenantId);
        var items = page.Items.Select(MessageResponse.From).ToArray();
        var next = PageCursor.NextOf(page, static last => PageCursor.Encode(MessageLogPosition.Of(last)));
        return TypedResults.Json(new MessagePageResponse(items, page.Total, page.Offset, page.Limit, next), WebhookApiJson.Options);
    }

    public async Task<IResult> GetAsync(
        HttpContext context,
        string id,
        string messageId,
        [FromServices] IWebhookEndpoints endpoints,
        [FromServices] IDeliveryLog log,
        CancellationToken cancellationToken)
    {
        if (await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false) is not { } webhook)
        {
            return ApiProblems.WebhookNotFound(id);
        }

        var detail = await log.GetAsync(id, messageId, cancellationToken).ConfigureAwait(false);
        return detail is null || !IsOfTenant(detail.Message, webhook.TenantId)
            ? ApiProblems.MessageNotFound(id, messageId)
            : TypedResults.Json(MessageResponse.From(detail), WebhookApiJson.Options);
    }

    public Task<IResult> RetryAsync(
        HttpContext context,
        string id,
        string messageId,
        [FromServices] IWebhookEndpoints endpoints,
        [FromServices] IDeliveryLog log,
        CancellationToken cancellationToken) =>
        ActAsync(context, endpoints, log, id, messageId, "retry", () => log.RetryAsync(id, messageId, cancellationToken), cancellationToken);

    public Task<IResult> CancelAsync(
        HttpContext context,
        string id,
        string messageId,
        [FromServices] IWebhookEndpoints endpoints,
        [FromServices] IDeliveryLog log,
        CancellationToken cancellationToken) =>
        ActAsync(context, endpoints, log, id, messageId, "cancel", () => log.CancelAsync(id, messageId, cancellationToken), cancellationToken);

    public async Task<IResult> RecoverAsync(
        HttpContext context,
        string id,
        [FromServices] IWebhookEndpoints endpoints,
        [FromServices] IDeliveryLog log,
        CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(context.Request, "application/json", cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        DateTimeOffset? since = null;
        var problems = new List<ValidationProblem>();
        using (document)
        {
            var reader = new JsonFieldReader(problems);
            var seen = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "since", StringComparison.OrdinalIgnoreCase))
                {
                    if (seen)
                    {
                        // As in the other bodies: which of the two counts would be a guess.
                        reader.Problem("since", "The field is given twice.");
                        continue;
                    }

                    seen = true;
                    since = reader.Time(property.Value, "since");
                }
                else
                {
                    reader.Problem(property.Name, "Unknown field. Writable fields: since.");
                }
            }

            if (since is null && problems.Count == 0)
            {
                reader.Problem("since", "The time to recover failed messages from is required.");
            }
        }

        if (problems.Count > 0)
        {
            return ApiProblems.Validation(problems);
        }

        if (await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.WebhookNotFound(id);
        }

        var recovered = await log.RecoverAsync(id, since!.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new RecoverResponse(recovered), WebhookApiJson.Options);
    }

    /// <summary>
    /// Whether <paramref name="message"/> is of the caller's tenant. The log shows the messages of the webhook's tenant
    /// when it is read, and the caller's webhook may have been deleted since it was found, and created again with its
    /// id by another tenant (ids may be chosen): that tenant's messages are not the caller's to see.
    /// </summary>
    private static bool IsOfTenant(DeliveryMessage message, string? tenantId) =>
        string.Equals(message.TenantId, tenantId, StringComparison.Ordinal);

    /// <summary>The page without the messages of another tenant than the caller's (see <see cref="IsOfTenant"/>).</summary>
    private static WebhookPage<DeliveryMessage> OfTenant(WebhookPage<DeliveryMessage> page, string? tenantId)
    {
        if (page.Items.All(message => IsOfTenant(message, tenantId)))
        {
            return page;
        }

        var items = page.Items.Where(message => IsOfTenant(message, tenantId)).ToArray();
        return page with { Items = items, Total = page.Total - (page.Items.Count - items.Length) };
    }

    // The verb is the action as the route names it ("retry", "cancel"), for the problem when the message's status does not allow it.
    private async Task<IResult> ActAsync(
        HttpContext context,
        IWebhookEndpoints endpoints,
        IDeliveryLog log,
        string id,
        string messageId,
        string verb,
        Func<Task<DeliveryMessage>> action,
        CancellationToken cancellationToken)
    {
        if (await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false) is not { } webhook)
        {
            return ApiProblems.WebhookNotFound(id);
        }

        // Read first, as acting cannot be taken back: a message's tenant never changes, so the one acted on is the caller's.
        if (await log.GetAsync(id, messageId, cancellationToken).ConfigureAwait(false) is not { } detail || !IsOfTenant(detail.Message, webhook.TenantId))
        {
            return ApiProblems.MessageNotFound(id, messageId);
        }

        DeliveryMessage message;
        try
        {
            message = await action().ConfigureAwait(false);
        }
        catch (InvalidTransitionException exception) when (exception.CurrentStatus is { } status)
        {
            // The exception's text names the .NET statuses; the answer names them as the API writes them.
            return ApiProblems.MessageStatusConflict(messageId, verb, status, exception.AllowedStatuses);
        }

        return TypedResults.Json(MessageResponse.From(message), WebhookApiJson.Options);
    }
}
