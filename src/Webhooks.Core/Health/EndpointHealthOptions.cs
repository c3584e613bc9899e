using System.ComponentModel.DataAnnotations;

namespace Webhooks.Core;

/// <summary>The thresholds of the endpoint health state machine.</summary>
public sealed class EndpointHealthOptions
{
    /// <summary>Gets or sets how many recent attempts the warning rule looks at. The default value is 10.</summary>
    [Range(1, 64)]
    public int WindowSize { get; set; } = 10;

    /// <summary>Gets or sets how many failures within the window turn an active webhook to Warning. The default value is 5.</summary>
    [Range(1, 64)]
    public int WarningFailures { get; set; } = 5;

    /// <summary>Gets or sets how many consecutive failures turn a webhook to Error and disable it. The default value is 10.</summary>
    [Range(1, int.MaxValue)]
    public int ErrorConsecutiveFailures { get; set; } = 10;

    /// <summary>Gets or sets how many consecutive successes bring a webhook from Warning back to Active. The default value is 10.</summary>
    [Range(1, int.MaxValue)]
    public int RecoveryConsecutiveSuccesses { get; set; } = 10;
}
