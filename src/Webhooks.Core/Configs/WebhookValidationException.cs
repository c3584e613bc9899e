namespace Webhooks.Core;

/// <summary>A webhook definition was rejected; nothing was stored.</summary>
public sealed class WebhookValidationException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="WebhookValidationException"/> class.</summary>
    /// <param name="problems">Every problem found, each naming its field.</param>
    public WebhookValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return "The webhook is invalid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}"));
    }
}
