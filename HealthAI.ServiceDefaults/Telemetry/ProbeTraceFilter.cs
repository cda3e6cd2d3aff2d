using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace HealthAI.ServiceDefaults.Telemetry;

/// <summary>
/// Marks the server span of a probe request (<c>/alive</c>, <c>/health</c>) as not recorded: orchestrators probe every few
/// seconds and those spans drown the traces people look for. Works without the ASP.NET Core instrumentation package.
/// </summary>
internal sealed class ProbeTraceFilterMiddleware(RequestDelegate next)
{
    internal const string ProbeTag = "healthai.probe";

    public Task InvokeAsync(HttpContext context)
    {
        if (IsProbe(context.Request.Path) && Activity.Current is { } activity)
        {
            activity.SetTag(ProbeTag, true);
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }

        return next(context);
    }

    internal static bool IsProbe(PathString path) =>
        path.StartsWithSegments(ServiceDefaultsExtensions.AlivePath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(ServiceDefaultsExtensions.HealthPath, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Drops spans that the probe filter marked before any exporter sees them.</summary>
internal sealed class ProbeSpanDropProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem(ProbeTraceFilterMiddleware.ProbeTag) is true)
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
