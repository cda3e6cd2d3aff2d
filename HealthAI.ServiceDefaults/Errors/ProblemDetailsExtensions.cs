using System.Diagnostics;
using HealthAI.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>RFC 7807 ProblemDetails for every error, each carrying <c>requestId</c> (the trace id).</summary>
public static class ProblemDetailsExtensions
{
    /// <summary>The ProblemDetails extension member that carries the trace id.</summary>
    public const string RequestIdKey = "requestId";

    /// <summary>Registers ProblemDetails with <c>requestId</c> and the exception handler that never echoes input.</summary>
    public static TBuilder AddPhiSafeProblemDetails<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions[RequestIdKey] = GetRequestId(context.HttpContext);
            context.ProblemDetails.Instance ??= null;
        });
        builder.Services.AddExceptionHandler<PhiSafeExceptionHandler>();
        return builder;
    }

    /// <summary>The exception handler first, then ProblemDetails bodies for bare status codes.</summary>
    public static WebApplication UsePhiSafeProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>The W3C trace id of the request when tracing is on, else ASP.NET Core's request identifier.</summary>
    public static string GetRequestId(HttpContext context) =>
        Activity.Current is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : context.TraceIdentifier;
}
