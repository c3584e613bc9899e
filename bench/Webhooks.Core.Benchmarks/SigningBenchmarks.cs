using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Webhooks.Core.Benchmarks;

/// <summary>Signing and verifying a 1 KB body, against a bare HMAC-SHA256 over the same signed bytes.</summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_614_265_330);

    private readonly StandardWebhooksSigner _signer = new();
    private readonly List<KeyValuePair<string, string>> _headers = new(capacity: 4);
    private readonly byte[] _hash = new byte[HMACSHA256.HashSizeInBytes];
    private byte[] _body = [];
    private byte[] _key = [];
    private byte[] _signedContent = [];
    private WebhookSecret[] _oneSecret = [];
    private WebhookSecret[] _twoSecrets = [];
    private StandardWebhooksVerifier _verifier = null!;
    private string _timestamp = "";
    private string _signature = "";

    [GlobalSetup]
    public void Setup()
    {
        _body = new byte[1024];
        new Random(42).NextBytes(_body);
        var primary = WebhookSecret.Generate(Now);
        var previous = WebhookSecret.Generate(Now.AddDays(-30)) with { ExpiresAt = Now.AddHours(24) };
        _oneSecret = [primary];
        _twoSecrets = [previous, primary];
        _key = WebhookSecret.DecodeKey(primary.Key);
        _signedContent = [.. Encoding.UTF8.GetBytes($"{MessageId}.{Now.ToUnixTimeSeconds()}."), .. _body];

        _signer.AddSignatureHeaders(MessageId, Now, _body, _oneSecret, _headers);
        _timestamp = _headers.Single(h => h.Key == StandardWebhooksHeaders.Timestamp).Value;
        _signature = _headers.Single(h => h.Key == StandardWebhooksHeaders.Signature).Value;
        _verifier = new StandardWebhooksVerifier([primary.Key], timeProvider: new FixedTimeProvider(Now));
    }

    [Benchmark(Baseline = true)]
    public int HmacSha256Only() => HMACSHA256.HashData(_key, _signedContent, _hash);

    [Benchmark]
    public int SignOneSecret()
    {
        _headers.Clear();
        _signer.AddSignatureHeaders(MessageId, Now, _body, _oneSecret, _headers);
        return _headers.Count;
    }

    [Benchmark]
    public int SignTwoSecrets()
    {
        _headers.Clear();
        _signer.AddSignatureHeaders(MessageId, Now, _body, _twoSecrets, _headers);
        return _headers.Count;
    }

    [Benchmark]
    public SignatureVerificationResult Verify() => _verifier.Verify(MessageId, _timestamp, _signature, _body);
}
