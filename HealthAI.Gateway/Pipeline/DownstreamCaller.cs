using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HealthAI.ServiceDefaults.Resilience;
using HealthAI.ServiceDefaults.ServiceDiscovery;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HealthAI.Gateway.Pipeline;

/// <summary>
/// One JSON call to a downstream service with the hop's own timeout, turning every way it can fail into a
/// <see cref="DownstreamException"/>. The caller's cancellation is passed through untouched (it is not a timeout).
/// </summary>
internal static class DownstreamCaller
{
    public static async Task<TResponse> PostAsync<TRequest, TResponse>(
        HttpClient http,
        DownstreamEndpoints endpoints,
        string hop,
        string logicalUri,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        // One timer-backed source per hop; the caller's cancellation is chained in by a registration rather than a linked source.
        using var hopTimeout = new CancellationTokenSource(timeout, timeProvider);
        using var callerRegistration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), hopTimeout);
        // Serialized up front: a sized body goes out with Content-Length in one write, where JsonContent would stream it chunked.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        try
        {
            // Both internal calls are pure functions of their input, so repeating one is safe (bounded by the resilience options).
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Resolve(logicalUri)) { Content = content }.AllowRetry();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hopTimeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 500 or 429 or 408)
            {
                throw new DownstreamException(hop, DownstreamFailure.Unavailable, Status(status));
            }

            if (status is < 200 or >= 300)
            {
                throw new DownstreamException(hop, DownstreamFailure.BadResponse, Status(status));
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(responseType, hopTimeout.Token)
                    ?? throw new DownstreamException(hop, DownstreamFailure.BadResponse, "empty body");
            }
            catch (InvalidOperationException ex)
            {
                // The body cannot be read as declared (an unknown charset, say): the service answered incorrectly.
                throw new DownstreamException(hop, DownstreamFailure.BadResponse, "unreadable body", ex);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new DownstreamException(hop, DownstreamFailure.TimedOut, "hop timeout", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new DownstreamException(hop, DownstreamFailure.TimedOut, "attempt timeout", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new DownstreamException(hop, DownstreamFailure.CircuitOpen, "circuit open", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DownstreamException(hop, DownstreamFailure.Unavailable, ex.HttpRequestError.ToString(), ex);
        }
        catch (IOException ex)
        {
            // The answer broke off mid-body (HttpIOException): the service went away during the exchange.
            throw new DownstreamException(hop, DownstreamFailure.Unavailable, "response broken off", ex);
        }
        catch (ServiceEndpointNotFoundException ex)
        {
            throw new DownstreamException(hop, DownstreamFailure.Unavailable, "no endpoint configured", ex);
        }
        catch (JsonException ex)
        {
            throw new DownstreamException(hop, DownstreamFailure.BadResponse, "malformed JSON", ex);
        }
    }

    private static string Status(int status) => "status " + status.ToString(CultureInfo.InvariantCulture);
}
