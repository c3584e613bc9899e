using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core.Tests.Signing;

/// <summary>The Standard Webhooks reference vector and an HMAC computed without the library's code.</summary>
internal static class SigningTestData
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const long UnixSeconds = 1614265330;
    public const string Body = """{"test": 2432232314}""";
    public const string ExpectedSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    public static DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);

    public static byte[] BodyBytes => Encoding.UTF8.GetBytes(Body);

    /// <summary>Base64 of HMAC-SHA256 over <paramref name="prefix"/> followed by <paramref name="body"/>.</summary>
    public static string Hmac(string secret, string prefix, byte[] body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        byte[] content = [.. Encoding.UTF8.GetBytes(prefix), .. body];
        return Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>A deterministic body of <paramref name="size"/> printable bytes.</summary>
    public static byte[] LargeBody(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (body[i] % 26));
        }

        return body;
    }

    public static WebhookSecret SecretCreatedAt(DateTimeOffset createdAt, DateTimeOffset? expiresAt = null) =>
        WebhookSecret.Generate(createdAt) with { ExpiresAt = expiresAt };

    public static List<KeyValuePair<string, string>> Sign(
        IWebhookSigner signer, byte[] body, IReadOnlyList<WebhookSecret> secrets, DateTimeOffset? at = null, string messageId = MessageId)
    {
        var headers = new List<KeyValuePair<string, string>>();
        signer.AddSignatureHeaders(messageId, at ?? Timestamp, body, secrets, headers);
        return headers;
    }

    public static string Header(this IEnumerable<KeyValuePair<string, string>> headers, string name) =>
        headers.Single(h => h.Key == name).Value;
}
