namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The query parameters of the listing routes, as <see cref="QueryReader"/> reads them.</summary>
internal static class WebhookApiQueryParameters
{
    /// <summary>The cursor both listings take: the <c>next</c> of the page before.</summary>
    private static readonly WebhookApiQueryParameter After = new() { Name = "after", Type = "string" };

    /// <summary>The parameters of <c>GET {prefix}</c>.</summary>
    public static object[] OfWebhooks(WebhookApiOptions options) =>
        [OneOf<WebhookState>("state"), OneOf<WebhookStatus>("status"), After, .. Page(options)];

    /// <summary>The parameters of <c>GET {prefix}/{id}/messages</c>.</summary>
    public static object[] OfMessages(WebhookApiOptions options) =>
    [
        OneOf<MessageStatus>("status"),
        new WebhookApiQueryParameter { Name = "eventType", Type = "string" },
        After,
        .. Page(options),
    ];

    private static WebhookApiQueryParameter[] Page(WebhookApiOptions options) =>
    [
        new() { Name = "createdFrom", Type = "string", Format = "date-time" },
        new() { Name = "createdTo", Type = "string", Format = "date-time" },
        new() { Name = "offset", Type = "integer", Format = "int32", Minimum = 0, Default = 0 },
        new() { Name = "limit", Type = "integer", Format = "int32", Minimum = 1, Maximum = options.MaxPageSize, Default = options.DefaultPageSize },
    ];

    private static WebhookApiQueryParameter OneOf<TEnum>(string name)
        where TEnum : struct, Enum => new() { Name = name, Type = "string", AllowedValues = ApiEnum<TEnum>.Names };
}
