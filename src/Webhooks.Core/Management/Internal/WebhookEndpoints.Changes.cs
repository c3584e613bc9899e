namespace Webhooks.Core.Internal;

internal sealed partial class WebhookEndpoints
{
    public Task<WebhookConfig> UpdateAsync(string id, WebhookUpdate update, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, update, expectedGeneration, TenantOnly.Any, cancellationToken);

    internal async Task<WebhookConfig> UpdateAsync(string id, WebhookUpdate update, long? expectedGeneration, TenantOnly scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);

        // A claim of the default takes its turn with the other changes that span the tenant.
        return update.IsDefault == true
            ? await InTurnAsync(() => UpdateInTurnAsync(id, update, expectedGeneration, scope, cancellationToken), cancellationToken).ConfigureAwait(false)
            : await UpdateInTurnAsync(id, update, expectedGeneration, scope, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WebhookConfig> UpdateInTurnAsync(string id, WebhookUpdate update, long? expectedGeneration, TenantOnly scope, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The store writes over this version only (not over one created again with its id since): the tenant checked
            // here is the one changed.
            var current = await _store.GetConfigAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            scope.ThrowUnlessHeld(current);
            ThrowIfChanged(current, expectedGeneration);

            var (next, notification, verify) = Apply(current, update);
            if (!verify && SameSettings(next, current))
            {
                // Nothing to store: a new generation would only break other callers' If-Match.
                return current;
            }

            var claimsDefault = next.IsDefault && !current.IsDefault;
            if (claimsDefault)
            {
                next = next with { DefaultClaimedAt = await ClaimStampAsync(current.TenantId, id, next.UpdatedAt, cancellationToken).ConfigureAwait(false) };
            }
            else if (!next.IsDefault && next.DefaultClaimedAt is not null)
            {
                next = next with { DefaultClaimedAt = null };
            }

            WebhookConfig stored;
            try
            {
                stored = await _store.UpdateConfigAsync(next, current.Generation, cancellationToken).ConfigureAwait(false);
                _states.NoteChange();
            }
            catch (WebhookConcurrencyException) when (expectedGeneration is null)
            {
                continue; // A delivery updated its health meanwhile; apply the change to the newer version.
            }

            await _states.AfterChangeAsync(current, stored, notification, cancellationToken).ConfigureAwait(false);
            if (claimsDefault)
            {
                stored = await SettleDefaultAsync(stored, cancellationToken).ConfigureAwait(false);
            }

            if (verify && stored is { State: WebhookState.Enabled, Status: WebhookStatus.Pending })
            {
                _verification.Queue(stored.Id);
            }

            return stored;
        }
    }

    public Task<WebhookConfig> TestAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        TestAsync(id, expectedGeneration, TenantOnly.Any, cancellationToken);

    internal async Task<WebhookConfig> TestAsync(string id, long? expectedGeneration, TenantOnly scope, CancellationToken cancellationToken)
    {
        var current = await _store.GetConfigAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        scope.ThrowUnlessHeld(current);
        ThrowIfChanged(current, expectedGeneration);
        if (current.Status == WebhookStatus.Disabled)
        {
            throw new InvalidTransitionException($"Webhook '{id}' was disabled by its owner; enable it to test it.");
        }

        // The caller's generation is checked again on the version the first write replaces, so that no change made
        // meanwhile is tested unseen; that write moves the generation on, and the next one is this test's own.
        var expected = expectedGeneration;
        if (current.State == WebhookState.Disabled)
        {
            // Disabled by the system (failed handshake, failures, 410): testing is how its owner brings it back. Enabled
            // straight to Pending in one write, so that its held messages wait for the test's outcome (enabling alone
            // would make a webhook without verification Active, and send them first).
            current = await _states.ApplyAsync(id, c => { scope.ThrowUnlessHeld(c); ThrowIfChanged(c, expected); return c.State == WebhookState.Disabled ? EnableForTest(c) : null; }, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound(id);
            expected = current.Generation == expected ? expected : null;
        }

        if (current.Status != WebhookStatus.Pending)
        {
            current = await _states.ApplyAsync(id, c => { scope.ThrowUnlessHeld(c); ThrowIfChanged(c, expected); return c.IsSending ? _states.Machine.VerificationRequested(c) : null; }, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound(id);
        }

        WebhookConfig tested;
        try
        {
            tested = await _verification.VerifyAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller stopped waiting, and the webhook is Pending, its messages held: it is verified in the background
            // now, rather than once housekeeping finds it stranded.
            _verification.QueueUnlessPending(id);
            throw;
        }

        scope.ThrowUnlessHeld(tested);
        return tested;
    }

    private EndpointTransition EnableForTest(WebhookConfig config)
    {
        var enabled = _states.Machine.Enable(config with { EnabledAt = CountEnable(config) });
        return enabled.Config.Status == WebhookStatus.Pending
            ? enabled
            : enabled with { Config = _states.Machine.VerificationRequested(enabled.Config).Config };
    }

    /// <summary>Applies a user's change through the state machine and validates the result.</summary>
    private (WebhookConfig Next, WebhookNotificationKind? Notification, bool Verify) Apply(WebhookConfig current, WebhookUpdate update)
    {
        var next = current with
        {
            Name = update.Name ?? current.Name,
            Url = update.Url ?? current.Url,
            EventTypes = update.EventTypes is { } types ? [.. types] : current.EventTypes,
            EventFilter = update.EventFilter is null ? current.EventFilter : string.IsNullOrWhiteSpace(update.EventFilter) ? null : update.EventFilter,
            Headers = update.Headers is { } headers ? CopyHeaders(headers) : current.Headers,
            IsDefault = update.IsDefault ?? current.IsDefault,
            VerificationMode = update.VerificationMode ?? current.VerificationMode,
            UpdatedAt = _timeProvider.GetUtcNow(),
        };

        var problems = _validator.Validate(next, current);
        if (update.State is { } state && WebhookValidator.StateProblem(state) is { } stateProblem)
        {
            // The state is applied by the transitions below, which would take an undefined one for neither.
            problems.Add(stateProblem);
        }

        if (problems.Count > 0)
        {
            throw new WebhookValidationException(problems);
        }

        var targetChanged = !next.HasSameTargetAs(current);
        EndpointTransition? transition = null;
        if (update.State == WebhookState.Enabled && current.State == WebhookState.Disabled)
        {
            transition = _states.Machine.Enable(next with { EnabledAt = CountEnable(current) });
        }
        else if (update.State == WebhookState.Disabled && current is not { State: WebhookState.Disabled, Status: WebhookStatus.Disabled })
        {
            // Also a webhook the system disabled: its owner's disable is recorded (and hides it from default listings).
            transition = _states.Machine.Disable(next);
        }
        else if (targetChanged && next.State == WebhookState.Enabled)
        {
            transition = _states.Machine.VerificationStarted(next);
        }
        else if (targetChanged && current is { State: WebhookState.Disabled } && current.Status != WebhookStatus.Disabled && update.State is null)
        {
            // Disabled by the system (verification refused, failures, 410 Gone), and its owner fixed its URL or headers:
            // the new target is verified, as ricloud tests an invalid config again when it is updated. It counts as an
            // enable. One its owner disabled stays so.
            var enabled = _states.Machine.Enable(next with { EnabledAt = CountEnable(current) });
            transition = _states.Machine.VerificationStarted(enabled.Config);
        }
        else if (next.VerificationMode != current.VerificationMode && current is { State: WebhookState.Enabled, Status: WebhookStatus.Pending })
        {
            // The verification under way is of the old mode, and its result is not applied: one of the new mode decides
            // (none at all for None, which is Active at once).
            transition = _states.Machine.VerificationStarted(next);
        }

        return transition is null ? (next, null, false) : (transition.Config, transition.Notification, true);
    }

    /// <summary>Whether an update left every setting as it was (its state too: no transition was made).</summary>
    private static bool SameSettings(WebhookConfig next, WebhookConfig current) =>
        next.Name == current.Name
        && next.Url == current.Url
        && next.EventFilter == current.EventFilter
        && next.IsDefault == current.IsDefault
        && (next.IsDefault || next.DefaultClaimedAt is null)
        && next.VerificationMode == current.VerificationMode
        && next.EventTypes.SequenceEqual(current.EventTypes, StringComparer.Ordinal)
        && next.Headers.Count == current.Headers.Count
        && next.Headers.All(h => current.Headers.TryGetValue(h.Key, out var value) && value == h.Value && current.Headers.Keys.Contains(h.Key, StringComparer.Ordinal));

    /// <summary>
    /// Counts one more enable of <paramref name="current"/> against the rate limit. The enables are kept with the webhook
    /// and stored with the enable itself, under its generation: two instances enabling at once cannot both count the
    /// same free slot.
    /// </summary>
    /// <returns>The enables within the period, this one last.</returns>
    /// <exception cref="WebhookRateLimitedException">The webhook was enabled as often as allowed within the period.</exception>
    private IReadOnlyList<DateTimeOffset> CountEnable(WebhookConfig current)
    {
        var now = _timeProvider.GetUtcNow();
        var recent = current.EnabledAt.Where(at => now - at < _options.EnableRateLimitPeriod).ToList();
        if (recent.Count >= _options.EnableRateLimit)
        {
            // In whole seconds, rounded up, as the caller is told (an HTTP Retry-After date): then, it is allowed.
            var again = Instants.UpToSecond(Instants.Later(recent[recent.Count - _options.EnableRateLimit], _options.EnableRateLimitPeriod));
            throw new WebhookRateLimitedException(
                $"Webhook '{current.Id}' was enabled {_options.EnableRateLimit} times within {_options.EnableRateLimitPeriod.TotalMinutes:0.##} minutes; " +
                $"try again after {again.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.",
                again);
        }

        recent.Add(now);
        return recent;
    }
}
