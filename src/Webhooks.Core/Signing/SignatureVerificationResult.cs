namespace Webhooks.Core;

/// <summary>
/// The outcome of checking a signed webhook request on the receiving side. No member is zero, so an
/// uninitialised value never reads as <see cref="Valid"/>.
/// </summary>
public enum SignatureVerificationResult
{
    /// <summary>The timestamp is within the tolerance and at least one signature matches.</summary>
    Valid = 1,

    /// <summary>A required header (id, timestamp or signature) is missing or empty.</summary>
    MissingHeaders = 2,

    /// <summary>The timestamp is not a whole number of Unix seconds.</summary>
    InvalidTimestamp = 3,

    /// <summary>The timestamp is older than the tolerance allows; the request may be a replay.</summary>
    TimestampTooOld = 4,

    /// <summary>The timestamp is further in the future than the tolerance allows.</summary>
    TimestampInFuture = 5,

    /// <summary>No signature in the header matches the body under any of the secrets.</summary>
    NoValidSignature = 6,
}
