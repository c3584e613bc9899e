using System.Text;

namespace Webhooks.Core.LoadTest;

/// <summary>A realistic order event of about 1 KB.</summary>
internal static class Payloads
{
    private static readonly string Lines = string.Join(",", Enumerable.Range(1, 8).Select(i =>
        $$"""{"sku":"SKU-{{i:D6}}","name":"Item number {{i}} with a descriptive name","quantity":{{i}},"unitPrice":{{i * 3.5m}},"warehouse":"eu-west-{{i % 3}}"}"""));

    public static string OrderJson(int sequence) =>
        $$"""{"orderId":"ord_{{sequence:D8}}","customer":{"id":"cus_{{sequence % 997:D6}}","name":"Customer {{sequence % 997}}","email":"customer{{sequence % 997}}@example.com"},"currency":"EUR","total":{{sequence % 1000 + 0.99m}},"lines":[{{Lines}}]}""";

    public static byte[] OrderBody(int sequence) =>
        Encoding.UTF8.GetBytes($$"""{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{{OrderJson(sequence)}}}""");
}
