namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The answer to a handshake: <c>{"verification": "&lt;challenge&gt;"}</c>.</summary>
/// <param name="Verification">The challenge, echoed.</param>
internal sealed record ChallengeResponse(string Verification);
