namespace Webhooks.Core;

/// <summary>
/// Checks a webhook definition or config against the rules of <see cref="WebhooksOptions"/> and reports every problem,
/// each naming its field (<c>name</c>, <c>url</c>, <c>eventTypes</c>, <c>eventTypes[2]</c>, <c>eventFilter</c>,
/// <c>headers.X-Foo</c>) and what is allowed. A pure type; thread-safe.
/// </summary>
/// <remarks>
/// The per-tenant webhook limit needs the store and is not checked here. The filter's syntax is checked by the
/// function given to the constructor, when there is one.
/// </remarks>
public sealed partial class WebhookValidator
{
    /// <summary>The longest name allowed, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest URL a webhook may have, in characters: what servers and proxies commonly accept.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The most custom headers a webhook may have.</summary>
    public const int MaxHeaders = 50;

    /// <summary>The longest custom header value, in characters.</summary>
    public const int MaxHeaderValueLength = 4096;

    /// <summary>The longest custom header name, in characters.</summary>
    public const int MaxHeaderNameLength = 256;

    /// <summary>The most characters all custom headers may take together, names and values: what servers commonly accept in one request, with room for the library's own.</summary>
    public const int MaxHeadersLength = 16_384;

    private readonly bool _allowHttp;
    private readonly Func<string, ValidationProblem?>? _filterCheck;

    /// <summary>Initializes a new instance of the <see cref="WebhookValidator"/> class.</summary>
    /// <param name="options">
    /// The settings: <see cref="WebhooksOptions.AllowHttp"/>, <see cref="WebhooksOptions.ReservedHeaderPrefixes"/> and
    /// <see cref="WebhooksOptions.ChallengeHeaderName"/>; read once, later changes are not seen.
    /// </param>
    /// <param name="filterCheck">
    /// Checks a non-empty filter expression and returns its problem, or <see langword="null"/> when it is valid; the
    /// problem is reported under the field <c>eventFilter</c>. <see langword="null"/> to accept every filter.
    /// </param>
    public WebhookValidator(WebhooksOptions options, Func<string, ValidationProblem?>? filterCheck = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowHttp = options.AllowHttp;
        _filterCheck = filterCheck;
        (_reservedNames, _reservedPrefixes, _reservedDescription) = ReservedHeaders(options);
    }

    /// <summary>Checks a webhook a user submits.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>Every problem found; empty when the definition is valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(WebhookDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Validate(definition.Name, definition.Url, definition.EventTypes, definition.EventFilter, definition.Headers, SizeLimits.All);
    }

    /// <summary>Checks a webhook as it would be stored, for example after an update was applied.</summary>
    /// <param name="config">The config.</param>
    /// <returns>Every problem found; empty when the config is valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(WebhookConfig config) => Validate(config, null);

    /// <summary>
    /// Checks a webhook after an update: the size limits apply to what the update changed, so that a webhook stored
    /// before a limit existed can still be renamed or disabled.
    /// </summary>
    internal List<ValidationProblem> Validate(WebhookConfig config, WebhookConfig? before)
    {
        ArgumentNullException.ThrowIfNull(config);
        var limits = before is null
            ? SizeLimits.All
            : (config.Name != before.Name ? SizeLimits.Name : 0)
                | (config.Url != before.Url ? SizeLimits.Url : 0)
                | (!ReferenceEquals(config.EventTypes, before.EventTypes) ? SizeLimits.EventTypes : 0)
                | (!ReferenceEquals(config.Headers, before.Headers) ? SizeLimits.Headers : 0);
        var problems = Validate(config.Name, config.Url, config.EventTypes, config.EventFilter, config.Headers, limits);

        // A webhook of a tenant its events could not name would never receive one.
        if (config.TenantId is not null && WebhookEvent.KeyProblem(config.TenantId, "tenant id") is { } tenantProblem)
        {
            problems.Insert(0, new("tenantId", tenantProblem));
        }

        return problems;
    }

    private List<ValidationProblem> Validate(
        string? name,
        string? url,
        IReadOnlyList<string>? eventTypes,
        string? eventFilter,
        IReadOnlyDictionary<string, string>? headers,
        SizeLimits limits)
    {
        var problems = new List<ValidationProblem>();
        if (name is { Length: > MaxNameLength } && limits.HasFlag(SizeLimits.Name))
        {
            problems.Add(new("name", $"The name is {name.Length} characters long; at most {MaxNameLength} are allowed."));
        }

        CheckUrl(url, problems, limits.HasFlag(SizeLimits.Url));
        CheckEventTypes(eventTypes, eventFilter, problems, limits.HasFlag(SizeLimits.EventTypes));
        if (!string.IsNullOrWhiteSpace(eventFilter) && _filterCheck?.Invoke(eventFilter) is { } filterProblem)
        {
            problems.Add(filterProblem with { Field = "eventFilter" });
        }

        CheckHeaders(headers, problems, limits.HasFlag(SizeLimits.Headers));
        return problems;
    }

    /// <summary>The size limits checked: all on create, those of the fields an update changes.</summary>
    [Flags]
    private enum SizeLimits
    {
        Name = 1,
        Url = 2,
        EventTypes = 4,
        Headers = 8,
        All = Name | Url | EventTypes | Headers,
    }

    private void CheckUrl(string? url, List<ValidationProblem> problems, bool limitLength)
    {
        string allowed = _allowHttp ? "an absolute https or http URL" : "an absolute https URL";
        if (string.IsNullOrWhiteSpace(url))
        {
            problems.Add(new("url", $"The URL is required: {allowed}."));
            return;
        }

        if (limitLength && url.Length > MaxUrlLength)
        {
            problems.Add(new("url", $"The URL is {url.Length} characters long; at most {MaxUrlLength} are allowed."));
            return;
        }

        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add(new("url", $"The URL must not contain spaces or control characters; use {allowed}."));
            return;
        }

        // On Unix "/hook" parses as an implicit file URI: an absolute URL must spell its scheme.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !url.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new("url", $"The URL is not {allowed}."));
            return;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(_allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            string hint = _allowHttp ? "use https or http" : "use https (plain http is not enabled on this host)";
            problems.Add(new("url", $"The URL scheme '{uri.Scheme}' is not allowed: {hint}."));
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            problems.Add(new("url", $"The URL must name a host: {allowed}."));
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            problems.Add(new("url", "The URL must not contain user info (user:password@); send credentials in a custom header instead."));
        }

        if (url.Contains('#', StringComparison.Ordinal))
        {
            problems.Add(new("url", "The URL must not contain a fragment (#...): receivers never see it."));
        }
    }
}
