namespace Webhooks.Core.Tests.Transport;

/// <summary>Sits in the delivery client's pipeline and completes once response headers have come back.</summary>
internal sealed class ResponseHeadersSignal : DelegatingHandler
{
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Received => _received.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        _received.TrySetResult();
        return response;
    }
}
