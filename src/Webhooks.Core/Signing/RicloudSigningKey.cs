namespace Webhooks.Core;

/// <summary>Which bytes of a webhook's secret key the ricloud-style HMAC (<see cref="RicloudSigner"/>, <see cref="RicloudVerifier"/>).</summary>
public enum RicloudSigningKey
{
    /// <summary>The base64-decoded part of the <c>whsec_</c> secret, the key the Standard Webhooks scheme uses. The default.</summary>
    DecodedSecret,

    /// <summary>
    /// The secret's text, <c>whsec_</c> prefix included, as UTF-8: what ricloud's own client library keys its HMAC with
    /// (<c>hmac.new(secret, …)</c>), so that a receiver built on it verifies the deliveries with the secret as shown.
    /// </summary>
    SecretText,
}
