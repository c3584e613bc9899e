using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Answers the library's deliberate errors with problem details; anything else is left to the host.</summary>
internal sealed class WebhookApiExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (WebhookException exception) when (ApiProblems.For(exception) is { } problem)
        {
            return problem;
        }
    }
}
