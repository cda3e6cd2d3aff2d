namespace HealthAI.ServiceDefaults.ServiceDiscovery;

/// <summary>Resolves the request URI just before it is sent, so each retry attempt can pick the next endpoint.</summary>
public sealed class ServiceDiscoveryHttpMessageHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !ServiceEndpointResolver.IsLogicalName(original))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        request.RequestUri = resolver.Resolve(original);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            // Outer handlers (a retry) see the logical address again and resolve afresh.
            request.RequestUri = original;
        }
    }
}
