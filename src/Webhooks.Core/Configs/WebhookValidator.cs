using Webhooks.Core.Internal;

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

    /// <summary>The longest event filter, in characters: room for dozens of clauses, and a bound on what every publish evaluates.</summary>
    public const int MaxEventFilterLength = 4096;

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

    private static readonly System.Buffers.SearchValues<char> ControlCharacters =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7f, 0x21)).Select(static c => (char)c)]);

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
    /// <param name="signatureHeaderNames">
    /// The headers the signer writes (<see cref="IWebhookSigner.HeaderNames"/>), reserved as well: a webhook may not set
    /// them. <see langword="null"/> for none beyond the built-in ones.
    /// </param>
    public WebhookValidator(WebhooksOptions options, Func<string, ValidationProblem?>? filterCheck = null, IEnumerable<string>? signatureHeaderNames = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowHttp = options.AllowHttp;
        _filterCheck = filterCheck;
        (_reservedNames, _reservedPrefixes, _reservedDescription) = ReservedHeaders(options, signatureHeaderNames ?? []);
    }

    /// <summary>Checks a webhook a user submits.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>Every problem found; empty when the definition is valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(WebhookDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = Validate(definition.Name, definition.Url, definition.EventTypes, definition.EventFilter, definition.Headers, definition.State, definition.VerificationMode, Fields.All);
        CheckIdentity(definition.Id, definition.TenantId, problems);
        return problems;
    }

    /// <summary>Checks a webhook as it would be stored, for example after an update was applied.</summary>
    /// <param name="config">The config.</param>
    /// <returns>Every problem found; empty when the config is valid.</returns>
    public IReadOnlyList<ValidationProblem> Validate(WebhookConfig config) => Validate(config, null);

    /// <summary>
    /// Checks a webhook after an update: only the fields the update changed, so that a webhook stored under older rules
    /// (before a size limit, with plain http since turned off, with a header since reserved) can still be renamed or
    /// disabled. A field the update sets again is checked under today's rules.
    /// </summary>
    internal List<ValidationProblem> Validate(WebhookConfig config, WebhookConfig? before)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fields = before is null
            ? Fields.All
            : (config.Name != before.Name ? Fields.Name : 0)
                | (config.Url != before.Url ? Fields.Url : 0)
                | (!ReferenceEquals(config.EventTypes, before.EventTypes) || config.EventFilter != before.EventFilter ? Fields.Subscription : 0)
                | (!ReferenceEquals(config.Headers, before.Headers) ? Fields.Headers : 0)
                | (config.State != before.State ? Fields.State : 0)
                | (config.VerificationMode != before.VerificationMode ? Fields.Verification : 0);
        var problems = Validate(config.Name, config.Url, config.EventTypes, config.EventFilter, config.Headers, config.State, config.VerificationMode, fields);
        if (before is null)
        {
            CheckIdentity(config.Id, config.TenantId, problems);
        }

        return problems;
    }

    private List<ValidationProblem> Validate(
        string? name,
        string? url,
        IReadOnlyList<string>? eventTypes,
        string? eventFilter,
        IReadOnlyDictionary<string, string>? headers,
        WebhookState state,
        VerificationMode? verificationMode,
        Fields fields)
    {
        var problems = new List<ValidationProblem>();
        if (fields.HasFlag(Fields.Name))
        {
            CheckName(name, problems);
        }

        if (fields.HasFlag(Fields.Url))
        {
            CheckUrl(url, problems);
        }

        if (fields.HasFlag(Fields.Subscription))
        {
            CheckEventTypes(eventTypes, eventFilter, problems);
            if (eventFilter is { Length: > MaxEventFilterLength })
            {
                problems.Add(new("eventFilter", $"The filter is {eventFilter.Length} characters long; at most {MaxEventFilterLength} are allowed."));
            }
            else if (!string.IsNullOrWhiteSpace(eventFilter) && _filterCheck?.Invoke(eventFilter) is { } filterProblem)
            {
                problems.Add(filterProblem with { Field = "eventFilter" });
            }
        }

        if (fields.HasFlag(Fields.Headers))
        {
            CheckHeaders(headers, problems);
        }

        if (fields.HasFlag(Fields.State) && StateProblem(state) is { } stateProblem)
        {
            problems.Add(stateProblem);
        }

        if (fields.HasFlag(Fields.Verification) && verificationMode is { } mode && EnumText.Undefined(mode, "verification mode") is { } modeProblem)
        {
            problems.Add(new("verificationMode", modeProblem));
        }

        return problems;
    }

    /// <summary>The fields checked: all on create, those an update changes.</summary>
    [Flags]
    private enum Fields
    {
        Name = 1,
        Url = 2,
        Subscription = 4,
        Headers = 8,
        Verification = 16,
        State = 32,
        All = Name | Url | Subscription | Headers | Verification | State,
    }

    /// <summary>The verification modes by name, for messages: "None, Challenge, TestEvent".</summary>
    internal static readonly string VerificationModes = string.Join(", ", Enum.GetNames<VerificationMode>());

    private static void CheckName(string? name, List<ValidationProblem> problems)
    {
        if (name is null)
        {
            return;
        }

        if (name.Length > MaxNameLength)
        {
            problems.Add(new("name", $"The name is {name.Length} characters long; at most {MaxNameLength} are allowed."));
            return;
        }

        // Control characters (U+0000 among them, which PostgreSQL cannot store) have no place in a display name, nor
        // surrogates without their pair, which no UTF-8 (JSON, PostgreSQL) can carry.
        var at = name.AsSpan().IndexOfAny(ControlCharacters);
        if (at >= 0)
        {
            problems.Add(new("name", $"The name must not contain control characters; character {at + 1} is U+{(int)name[at]:X4}."));
        }
        else if (Utf16Text.IndexOfLoneSurrogate(name) is >= 0 and var lone)
        {
            problems.Add(new("name", $"The name must not contain surrogates without their pair; character {lone + 1} is U+{(int)name[lone]:X4}."));
        }
    }

    private void CheckUrl(string? url, List<ValidationProblem> problems)
    {
        string allowed = _allowHttp ? "an absolute https or http URL" : "an absolute https URL";
        if (string.IsNullOrWhiteSpace(url))
        {
            problems.Add(new("url", $"The URL is required: {allowed}."));
            return;
        }

        if (url.Length > MaxUrlLength)
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
