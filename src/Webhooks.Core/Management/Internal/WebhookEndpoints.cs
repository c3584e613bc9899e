using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>Creates and changes webhooks: validation, tenant limits, the state machine, verification and secrets.</summary>
internal sealed partial class WebhookEndpoints : IWebhookEndpoints
{
    private readonly IWebhookStore _store;
    private readonly WebhookStateChanges _states;
    private readonly VerificationRunner _verification;
    private readonly WebhooksOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly WebhookValidator _validator;

    /// <summary>The most secrets a webhook signs with at once: a rotation past it ends the grace of the oldest.</summary>
    internal const int MaxSecrets = 10;

    public WebhookEndpoints(
        IWebhookStore store,
        WebhookStateChanges states,
        VerificationRunner verification,
        IOptions<WebhooksOptions> options,
        IWebhookSigner signer,
        TimeProvider timeProvider)
    {
        _store = store;
        _states = states;
        _verification = verification;
        _options = options.Value;
        _timeProvider = timeProvider;
        _validator = new WebhookValidator(_options, CheckFilter, signer.HeaderNames);
    }

    public async Task<WebhookWithSecret> CreateAsync(WebhookDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return await InTurnAsync(() => CreateInTurnAsync(definition, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task<WebhookWithSecret> CreateInTurnAsync(WebhookDefinition definition, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var config = new WebhookConfig
        {
            Id = definition.Id ?? Ids.NewWebhookId(now),
            TenantId = definition.TenantId,
            Name = definition.Name,
            Url = definition.Url,
            EventTypes = [.. definition.EventTypes ?? []],
            EventFilter = string.IsNullOrWhiteSpace(definition.EventFilter) ? null : definition.EventFilter,
            Headers = CopyHeaders(definition.Headers),
            Secrets = [WebhookSecret.Generate(now)],
            State = definition.State,
            IsDefault = definition.IsDefault,
            VerificationMode = definition.VerificationMode ?? _options.DefaultVerificationMode,
            CreatedAt = now,
            UpdatedAt = now,
            Generation = 1,
        };

        config = _states.Machine.Create(config).Config;
        var problems = new List<ValidationProblem>(_validator.Validate(config));
        var count = await CountTenantAsync(config.TenantId, cancellationToken).ConfigureAwait(false);
        if (count >= _options.MaxWebhooksPerTenant)
        {
            problems.Add(TenantFull(count));
        }

        if (problems.Count > 0)
        {
            throw new WebhookValidationException(problems);
        }

        var secret = config.Secrets[0].Key;
        if (config.IsDefault)
        {
            config = config with { DefaultClaimedAt = await ClaimStampAsync(config.TenantId, config.Id, now, cancellationToken).ConfigureAwait(false) };
        }

        await _store.AddConfigAsync(config, cancellationToken).ConfigureAwait(false);
        await EnsureTenantLimitAfterAddAsync(config, cancellationToken).ConfigureAwait(false);
        if (config.IsDefault)
        {
            config = await SettleDefaultAsync(config, cancellationToken).ConfigureAwait(false);
        }

        if (config.Status == WebhookStatus.Pending)
        {
            _verification.Queue(config.Id);
        }

        return new WebhookWithSecret(config, secret);
    }

    public async Task<WebhookConfig?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await _store.GetConfigAsync(id, cancellationToken).ConfigureAwait(false);

    public IWebhookEndpoints ForTenant(string? tenantId) => new TenantWebhookEndpoints(this, tenantId);

    public async Task<WebhookPage<WebhookConfig>> ListAsync(WebhookConfigQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnumText.ThrowIfUndefined(query.State, "state", "query.State");
        EnumText.ThrowIfUndefined(query.Status, "status", "query.Status");
        var page = await _store.ListConfigsAsync(query, cancellationToken).ConfigureAwait(false);

        // As the delivery log's: a store that ignores positions lists from the newest again, and a client paging on
        // would loop forever. Ties are the store's to order (PostgreSQL compares code points).
        if (query.After is { } after && page.Items.Any(config => IsAtOrBefore(config, after)))
        {
            throw new InvalidOperationException(
                $"The store {_store.GetType().Name} listed a config that is not after WebhookConfigQuery.After: it does not implement positions in the list, which WebhookStoreConformanceTests check.");
        }

        return page;
    }

    /// <summary>Whether <paramref name="config"/> is newer than <paramref name="position"/>, or is its config.</summary>
    private static bool IsAtOrBefore(WebhookConfig config, WebhookListPosition position) =>
        config.CreatedAt > position.CreatedAt
        || (config.CreatedAt == position.CreatedAt && string.Equals(config.Id, position.WebhookId, StringComparison.Ordinal));

    public async Task<bool> DeleteAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var deleted = expectedGeneration is { } expected
            ? await _store.DeleteConfigAsync(id, expected, cancellationToken).ConfigureAwait(false)
            : await _store.DeleteConfigAsync(id, cancellationToken).ConfigureAwait(false);
        _states.NoteChange();
        return deleted;
    }

    /// <summary>Deletes a webhook of the tenant <paramref name="scope"/> keeps to, checked on the version deleted.</summary>
    internal async Task<bool> DeleteAsync(string id, long? expectedGeneration, TenantOnly scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        while (true)
        {
            if (await _store.GetConfigAsync(id, cancellationToken).ConfigureAwait(false) is not { } current || !scope.Holds(current))
            {
                return false;
            }

            ThrowIfChanged(current, expectedGeneration);
            try
            {
                // The version read, so that the webhook deleted is the one of the tenant, not one created again with its
                // id since (at the same generation, as generations start again); a change made meanwhile (a delivery's
                // health), or a webhook created again, is read again.
                var deleted = await _store.DeleteConfigAsync(current, cancellationToken).ConfigureAwait(false);
                _states.NoteChange();
                return deleted;
            }
            catch (WebhookConcurrencyException)
            {
            }
        }
    }

    public Task<WebhookWithSecret> RotateSecretAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        RotateSecretAsync(id, expectedGeneration, TenantOnly.Any, cancellationToken);

    internal async Task<WebhookWithSecret> RotateSecretAsync(string id, long? expectedGeneration, TenantOnly scope, CancellationToken cancellationToken)
    {
        WebhookSecret? created = null;
        var stored = await _states.ApplyAsync(
            id,
            current =>
            {
                // Checked on the version the rotation writes over, so that a change made meanwhile is never rotated unseen.
                scope.ThrowUnlessHeld(current);
                ThrowIfChanged(current, expectedGeneration);
                var now = _timeProvider.GetUtcNow();
                created = WebhookSecret.Generate(now);
                var graceEnd = Instants.Later(now, _options.SecretGracePeriod);
                // The newest ones only: each secret signs every delivery, so rotating in a loop would otherwise grow the
                // signature header, and the HMACs of each attempt, without bound.
                var kept = current.Secrets
                    .Where(s => s.IsValidAt(now))
                    .OrderByDescending(static s => s.CreatedAt)
                    .Take(MaxSecrets - 1)
                    .Select(s => s.ExpiresAt is { } expiry && expiry <= graceEnd ? s : s with { ExpiresAt = graceEnd });
                var rotated = current with { Secrets = [created, .. kept], UpdatedAt = now };
                return new EndpointTransition(rotated, current.State, current.Status, null);
            },
            cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return new WebhookWithSecret(stored, created!.Key);
    }

    /// <summary>Throws <see cref="WebhookConcurrencyException"/> when <paramref name="current"/> is not at the generation the caller read.</summary>
    private static void ThrowIfChanged(WebhookConfig current, long? expectedGeneration)
    {
        if (expectedGeneration is { } expected && current.Generation != expected)
        {
            throw WebhookConcurrencyException.AtGeneration(current.Id, current.Generation, expected);
        }
    }

    private static ValidationProblem? CheckFilter(string expression)
    {
        // The language takes it in a string literal, but PostgreSQL cannot store it in text: refused as names refuse it.
        var nul = expression.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            return new ValidationProblem("eventFilter", $"The filter must not contain U+0000 (found at character {nul + 1}).");
        }

        return EventFilter.TryParse(expression, out _, out var error) ? null : new ValidationProblem("eventFilter", error.Message);
    }

    /// <summary>Copies headers into a case-insensitive dictionary; headers naming one header twice are kept as given, for the validator to name.</summary>
    private static IReadOnlyDictionary<string, string> CopyHeaders(IReadOnlyDictionary<string, string>? headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers ?? copy)
        {
            if (!copy.TryAdd(name, value))
            {
                return headers!;
            }
        }

        return copy;
    }

    private static WebhookNotFoundException NotFound(string id) => new($"Webhook '{id}' does not exist.");
}
