using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Webhooks.Core;

/// <summary>Everything a host can tune. Validated when the host starts.</summary>
public sealed class WebhooksOptions
{
    /// <summary>Gets or sets a value indicating whether plain <c>http</c> URLs are accepted. The default value is <see langword="false"/>.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Gets the header name prefixes users may not set (compared case-insensitively), on top of the built-in
    /// reserved headers. The default value is empty; add, for example, <c>x-compute-ops-mgmt</c>.
    /// </summary>
    public IList<string> ReservedHeaderPrefixes { get; } = [];

    /// <summary>Gets or sets how many webhooks one tenant may have. The default value is 25.</summary>
    [Range(1, int.MaxValue)]
    public int MaxWebhooksPerTenant { get; set; } = 25;

    /// <summary>Gets or sets the verification mode of webhooks created without one. The default value is <see cref="VerificationMode.None"/>.</summary>
    public VerificationMode DefaultVerificationMode { get; set; } = VerificationMode.None;

    /// <summary>Gets or sets the header carrying the handshake challenge. The default value is <c>webhook-verification-challenge</c>.</summary>
    [Required]
    public string ChallengeHeaderName { get; set; } = "webhook-verification-challenge";

    /// <summary>
    /// Gets or sets how many times a webhook may be enabled within <see cref="EnableRateLimitPeriod"/>. The default value
    /// is 5. The enables are kept with the webhook (<see cref="WebhookConfig.EnabledAt"/>), so every host instance sharing
    /// the store counts them, and a restart does not reset them.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int EnableRateLimit { get; set; } = 5;

    /// <summary>Gets or sets the period of <see cref="EnableRateLimit"/>. The default value is 15 minutes.</summary>
    public TimeSpan EnableRateLimitPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how long a rotated-out secret keeps signing. The default value is 24 hours.</summary>
    public TimeSpan SecretGracePeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how long messages and their attempts are kept, counted from their creation: a message is purged once
    /// it is finished and older than this (so one that fails at <see cref="RetryOptions.MaxAge"/> is kept for the
    /// difference). The default value is 30 days.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets the endpoint health thresholds.</summary>
    [ValidateObjectMembers]
    public EndpointHealthOptions Health { get; } = new();

    /// <summary>Gets the retry schedule.</summary>
    [ValidateObjectMembers]
    public RetryOptions Retry { get; } = new();

    /// <summary>Gets the HTTP transport settings.</summary>
    [ValidateObjectMembers]
    public HttpDeliveryOptions Http { get; } = new();

    /// <summary>Gets the dispatcher settings.</summary>
    [ValidateObjectMembers]
    public DispatcherOptions Dispatcher { get; } = new();
}
