using HealthAI.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Limits;

/// <summary>
/// Applies the route table after authorization: the media type (415 naming what is supported) and the body limit (413), both
/// from the declared <c>Content-Length</c> and, for chunked bodies, while the body is read.
/// </summary>
internal sealed class RoutePolicyMiddleware(RequestDelegate next, IOptions<GatewayRoutesOptions> options, IProblemDetailsService problems)
{
    private readonly Dictionary<string, GatewayRouteOptions> _routes = options.Value.Routes;

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GatewayRouteMetadata>();
        if (metadata is null || !_routes.TryGetValue(metadata.RouteId, out var route))
        {
            return next(context);
        }

        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && !IsSupported(request.ContentType, route.ContentTypes))
        {
            var supported = route.ContentTypes.Count == 0 ? "no request body" : string.Join(", ", route.ContentTypes) + ", in UTF-8";
            return WriteProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"This route accepts {supported}.");
        }

        if (request.ContentLength > route.MaxRequestBodyBytes)
        {
            return WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"This route accepts at most {route.MaxRequestBodyBytes} bytes.");
        }

        // Kestrel enforces this limit while the body streams in (chunked bodies included) and answers 413 itself; hosts without
        // the feature (TestServer) get the same bound from the counting stream.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = route.MaxRequestBodyBytes;
        }
        else if (hasBody)
        {
            request.Body = new LengthLimitedStream(request.Body, route.MaxRequestBodyBytes);
        }

        return next(context);
    }

    internal static bool IsSupported(ReadOnlySpan<char> contentType, List<string> supported)
    {
        if (contentType.IsEmpty)
        {
            return false;
        }

        var mediaType = contentType;
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        foreach (var candidate in supported)
        {
            if (mediaType.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return semicolon < 0 || IsUtf8Charset(contentType[(semicolon + 1)..]);
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the parameters name no charset or UTF-8 (or its subset US-ASCII). Everything downstream reads UTF-8: a note in
    /// UTF-16 read as UTF-8 reaches de-identification as "Z\0e\0b\0..." and its names are not found, yet the tokenizer drops
    /// the NULs and the model sees them. So another charset is refused (415), not read wrongly.
    /// </summary>
    private static bool IsUtf8Charset(ReadOnlySpan<char> parameters)
    {
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            var equals = parameter.IndexOf('=');
            if (equals < 0 || !parameter[..equals].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var charset = parameter[(equals + 1)..].Trim().Trim('"');
            return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
                || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);
        }

        return true;
    }

    private Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
