using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The webhook routes of the management API. Every route works within the caller's tenant.</summary>
/// <param name="options">The API options.</param>
/// <param name="scope">Keeps callers within their tenant.</param>
internal sealed class WebhookHandlers(WebhookApiOptions options, TenantScope scope)
{
    public async Task<IResult> CreateAsync(HttpContext context, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(context.Request, "application/json", cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var tenantId = await scope.ResolveAsync(context).ConfigureAwait(false);
            var problems = new List<ValidationProblem>();
            if (WebhookRequestReader.ReadCreate(document.RootElement, tenantId, problems) is not { } definition)
            {
                return ApiProblems.Validation(problems);
            }

            var created = await endpoints.CreateAsync(definition, cancellationToken).ConfigureAwait(false);
            var request = context.Request;
            // Escaped as sent: a route value such as a tenant name may hold characters a header cannot.
            context.Response.Headers.Location =
                $"{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent().TrimEnd('/')}/{Uri.EscapeDataString(created.Webhook.Id)}";
            return Webhook(context, created.Webhook, created.Secret, StatusCodes.Status201Created);
        }
    }

    public async Task<IResult> ListAsync(HttpContext context, [AsParameters] WebhookListParameters parameters, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        query.RefuseUnknown(context, options);
        var (from, to, offset, limit) = query.Page(parameters, options);
        var configQuery = new WebhookConfigQuery
        {
            TenantId = await scope.ResolveAsync(context).ConfigureAwait(false),
            State = query.Enum<WebhookState>(parameters.State, "state"),
            Status = query.Enum<WebhookStatus>(parameters.Status, "status"),
            CreatedFrom = from,
            CreatedTo = to,
            After = query.ListPosition(parameters.After, "after"),
            Offset = offset,
            Limit = limit,
        };
        if (query.Problems.Count > 0)
        {
            return ApiProblems.Validation(query.Problems);
        }

        var page = await endpoints.ListAsync(configQuery, cancellationToken).ConfigureAwait(false);
        var items = page.Items.Select(static c => WebhookResponse.From(c)).ToArray();
        var next = PageCursor.NextOf(page, static last => PageCursor.Encode(WebhookListPosition.Of(last)));
        return TypedResults.Json(new WebhookPageResponse(items, page.Total, page.Offset, page.Limit, next), WebhookApiJson.Options);
    }

    public async Task<IResult> GetAsync(HttpContext context, string id, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken)
    {
        var config = await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false);
        return config is null ? ApiProblems.WebhookNotFound(id) : Webhook(context, config);
    }

    public async Task<IResult> UpdateAsync(HttpContext context, string id, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken)
    {
        if (!EntityTag.TryReadIfMatch(context.Request, out var ifMatch))
        {
            return IfMatchMalformed();
        }

        var (document, problem) = await JsonBody.ReadObjectAsync(context.Request, JsonBody.MergePatch, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            // The precondition before the content (RFC 9110 §13.2.2): a stale version answers 412 whatever the body.
            return ifMatch is not null && await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false) is { } current
                && !ifMatch.Contains(current.Generation)
                ? StalePrecondition(current)
                : problem!;
        }

        using (document)
        {
            // Headers are merged into the stored ones, so that change names the version it merged into. When the caller
            // named none, a version that changed meanwhile (a delivery recorded its health) is merged into again.
            // The change is made through the caller's tenant's view, which checks the tenant again on the version changed.
            var view = await scope.ViewAsync(context, endpoints).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                if (await PatchOnceAsync(context, id, endpoints, view, document, ifMatch, attempt < MaxMergeAttempts, cancellationToken).ConfigureAwait(false) is { } answer)
                {
                    return answer;
                }
            }
        }
    }

    private const int MaxMergeAttempts = 5;

    /// <summary>Applies the patch to the webhook as read now; <see langword="null"/> when the merge should be done again.</summary>
    private async Task<IResult?> PatchOnceAsync(
        HttpContext context, string id, IWebhookEndpoints endpoints, IWebhookEndpoints view, System.Text.Json.JsonDocument document, IReadOnlyList<long>? ifMatch, bool mayRetry, CancellationToken cancellationToken)
    {
        var current = await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return ApiProblems.WebhookNotFound(id);
        }

        // The precondition before the content (RFC 9110 §13.2.2): a body written against a stale version is not judged.
        if (ifMatch is not null && !ifMatch.Contains(current.Generation))
        {
            return StalePrecondition(current);
        }

        var problems = new List<ValidationProblem>();
        if (WebhookRequestReader.ReadPatch(document.RootElement, current, problems) is not { } patch)
        {
            return ApiProblems.Validation(problems);
        }

        var (update, bodyGeneration) = patch;

        if (ifMatch is not null && bodyGeneration is { } stale && stale != current.Generation)
        {
            // Both name a version: the body's, stale, is a conflict as it is without If-Match.
            return ApiProblems.Conflict($"The generation field says {stale}, but the webhook is at generation {current.Generation}; read it again and reapply the change.");
        }

        // Headers are merged into the stored ones read above, so that change must not overwrite a newer one.
        var implied = ifMatch is null && bodyGeneration is null && update.Headers is not null;
        var expected = ifMatch is not null ? current.Generation : bodyGeneration ?? (implied ? current.Generation : null);
        try
        {
            var updated = await view.UpdateAsync(id, update, expected, cancellationToken).ConfigureAwait(false);
            return Webhook(context, updated);
        }
        catch (WebhookConcurrencyException) when (ifMatch is not null)
        {
            // It changed after it was read above: the precondition no longer holds.
            return ChangedSince(current.Generation);
        }
        catch (WebhookConcurrencyException) when (implied && mayRetry)
        {
            return null;
        }
    }

    public Task<IResult> DeleteAsync(HttpContext context, string id, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, endpoints, async (view, expected) =>
            await view.DeleteAsync(id, expected, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : ApiProblems.WebhookNotFound(id),
            cancellationToken);

    public Task<IResult> TestAsync(HttpContext context, string id, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, endpoints, async (view, expected) =>
            Webhook(context, await view.TestAsync(id, expected, cancellationToken).ConfigureAwait(false)),
            cancellationToken);

    public Task<IResult> RotateSecretAsync(HttpContext context, string id, [FromServices] IWebhookEndpoints endpoints, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, endpoints, async (view, expected) =>
        {
            var rotated = await view.RotateSecretAsync(id, expected, cancellationToken).ConfigureAwait(false);
            return Webhook(context, rotated.Webhook, rotated.Secret);
        },
        cancellationToken);

    /// <summary>
    /// Makes a change other than a patch to the caller's webhook, under its <c>If-Match</c>: refused when the condition
    /// is false now, and answered 412 when the engine, checking it again as it makes the change, finds it false then.
    /// The change is made through the caller's tenant's view, which checks the tenant again on the version changed.
    /// </summary>
    private async Task<IResult> ChangeAsync(
        HttpContext context, string id, IWebhookEndpoints endpoints, Func<IWebhookEndpoints, long?, Task<IResult>> change, CancellationToken cancellationToken)
    {
        var (refused, expected) = await FindForChangeAsync(context, id, endpoints, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            return await change(await scope.ViewAsync(context, endpoints).ConfigureAwait(false), expected).ConfigureAwait(false);
        }
        catch (WebhookConcurrencyException) when (expected is { } generation)
        {
            return ChangedSince(generation);
        }
    }

    /// <summary>
    /// Finds the caller's webhook for a change other than a patch, and checks the request's <c>If-Match</c> against it
    /// (RFC 9110 §13.1.1: a false condition is not performed). Returns the answer that refuses the change, or the
    /// generation the change must still find (<see langword="null"/> without <c>If-Match</c>): the engine checks it
    /// again as it makes the change, so that one landing between the read and the change is not missed.
    /// </summary>
    private async Task<(IResult? Refused, long? Expected)> FindForChangeAsync(HttpContext context, string id, IWebhookEndpoints endpoints, CancellationToken cancellationToken)
    {
        if (!EntityTag.TryReadIfMatch(context.Request, out var ifMatch))
        {
            return (IfMatchMalformed(), null);
        }

        var current = await scope.FindAsync(context, endpoints, id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return (ApiProblems.WebhookNotFound(id), null);
        }

        if (ifMatch is null)
        {
            return (null, null);
        }

        return ifMatch.Contains(current.Generation) ? (null, current.Generation) : (StalePrecondition(current), null);
    }

    private static IResult ChangedSince(long generation) =>
        ApiProblems.PreconditionFailed($"The webhook changed since its ETag was {EntityTag.Format(generation)}.");

    private static IResult IfMatchMalformed() => ApiProblems.Validation("If-Match", "Expected entity tags such as \"3\" (the webhook's ETag), or *.");

    private static IResult StalePrecondition(WebhookConfig current) =>
        ApiProblems.PreconditionFailed($"If-Match names no current version of the webhook: its ETag is {EntityTag.Format(current.Generation)}.");

    private static IResult Webhook(HttpContext context, WebhookConfig config, string? secret = null, int statusCode = StatusCodes.Status200OK)
    {
        EntityTag.Set(context.Response, config.Generation);
        return TypedResults.Json(WebhookResponse.From(config, secret), WebhookApiJson.Options, statusCode: statusCode);
    }
}
