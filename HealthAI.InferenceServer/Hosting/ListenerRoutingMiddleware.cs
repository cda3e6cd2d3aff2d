using HealthAI.InferenceServer.Grpc;
using HealthAI.InferenceServer.Http;
using HealthAI.InferenceServer.Metrics;

namespace HealthAI.InferenceServer.Hosting;

/// <summary>
/// Sends each connection to what its port serves: the gRPC port to the gRPC handler, the metrics port to <c>/metrics</c>
/// only, the HTTP port to the mapped endpoints (with Triton's <c>{"error": "Not Found"}</c> / <c>Method Not Allowed</c>).
/// </summary>
internal sealed class ListenerRoutingMiddleware(RequestDelegate next, ListenerEndpoints endpoints)
{
    public async Task InvokeAsync(HttpContext context, GrpcCallHandler grpc, PrometheusMetricsWriter metrics)
    {
        var port = context.Connection.LocalPort;
        if (port == endpoints.GrpcPort)
        {
            TritonErrorFilter.DisableStatusCodePages(context);
            await grpc.HandleAsync(context);
            return;
        }

        if (port == endpoints.MetricsPort)
        {
            TritonErrorFilter.DisableStatusCodePages(context);
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/metrics")
            {
                context.Response.ContentType = PrometheusMetricsWriter.ContentType;
                await context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return;
        }

        if (!context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        TritonErrorFilter.DisableStatusCodePages(context);
        await next(context);
        if (!context.Response.HasStarted && context.Response.ContentLength is null
            && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
        {
            var message = context.Response.StatusCode == StatusCodes.Status404NotFound ? "Not Found" : "Method Not Allowed";
            await TritonErrorFilter.Error(message, context.Response.StatusCode).ExecuteAsync(context);
        }
    }
}
