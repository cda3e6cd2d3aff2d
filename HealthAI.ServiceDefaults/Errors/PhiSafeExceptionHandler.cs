using HealthAI.ServiceDefaults.Logging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthAI.ServiceDefaults.Errors;

/// <summary>
/// Turns every unhandled exception into a ProblemDetails with a fixed title. The exception's message is neither returned nor
/// logged: parsers and validators quote the input they choke on, and the input is a clinical note.
/// </summary>
internal sealed class PhiSafeExceptionHandler(IProblemDetailsService problemDetails, ILogger<PhiSafeExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var requestId = ProblemDetailsExtensions.GetRequestId(httpContext);
        var route = httpContext.GetEndpoint() is RouteEndpoint endpoint
            ? endpoint.RoutePattern.RawText ?? "(unnamed)"
            : "(no route)";
        var method = httpContext.Request.Method;

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody reads the answer. 499 is what proxies log for this.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var exceptionType = exception.GetType().Name;
        int status;
        string title;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = status == StatusCodes.Status413PayloadTooLarge ? "Request body too large." : "The request could not be read.";
            Log.BadRequest(logger, method, route, status, exceptionType, requestId);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            title = "An unexpected error occurred.";
            Log.UnhandledException(logger, exceptionType, method, route, requestId);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = null,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        });
    }
}
