using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>Checks the data-annotation rules of the options and of each nested options object.</summary>
[OptionsValidator]
internal sealed partial class WebhooksOptionsValidator : IValidateOptions<WebhooksOptions>
{
}
