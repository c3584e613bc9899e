namespace Webhooks.Core;

/// <summary>Options of the receiver-side signature verifiers.</summary>
public sealed class SignatureVerificationOptions
{
    /// <summary>
    /// Gets or sets how far the signed timestamp may be from the receiver's clock, in either direction,
    /// compared in whole seconds. The default value is 5 minutes.
    /// </summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
}
