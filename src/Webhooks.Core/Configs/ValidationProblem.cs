namespace Webhooks.Core;

/// <summary>One problem found in a webhook definition or an expression.</summary>
/// <param name="Field">The field concerned, in camelCase as the API names it (for example <c>url</c> or <c>headers.X-Api-Key</c>).</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record ValidationProblem(string Field, string Message);
