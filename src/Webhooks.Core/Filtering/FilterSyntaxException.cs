namespace Webhooks.Core;

/// <summary>A filter expression is not valid; <see cref="Error"/> says where and why.</summary>
public sealed class FilterSyntaxException : WebhookException
{
    /// <summary>Initializes a new instance of the <see cref="FilterSyntaxException"/> class.</summary>
    /// <param name="error">Where and why the expression is invalid.</param>
    public FilterSyntaxException(FilterSyntaxError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Gets where and why the expression is invalid.</summary>
    public FilterSyntaxError Error { get; }

    private static string Describe(FilterSyntaxError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return "The event filter is invalid: " + error.Message;
    }
}
