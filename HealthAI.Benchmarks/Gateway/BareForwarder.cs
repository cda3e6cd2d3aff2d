using System.Net;
using System.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace HealthAI.Benchmarks.Gateway;

/// <summary>
/// The pipeline floor of the forwarding benchmark: the smallest honest ASP.NET Core reverse proxy, run as its own process
/// (<c>dotnet HealthAI.Benchmarks.dll bare-forwarder --listen URL --backend URL</c>). It pays what any proxy built on ASP.NET
/// Core's request pipeline pays (Kestrel's HTTP layer, HttpClient, GC) and nothing the gateway adds (no auth, rate limit, audit,
/// telemetry, logging), with the gateway's runtime settings: workstation non-concurrent GC (from the environment the benchmark
/// starts it with) and Kestrel's socket transport with inline scheduling. The gateway's connection-level forwarder skips that
/// pipeline, so it can cost less than this floor even with its features. A measurement peer, not product code.
/// </summary>
internal static class BareForwarder
{
    public const string CommandName = "bare-forwarder";

    // Meaningful for one hop only (RFC 9110 7.6.1), plus Host, which the handler sets from the destination.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host",
    };

    public static async Task<int> RunAsync(Uri listen, Uri backend, CancellationToken cancellationToken)
    {
        // One line on stderr so a run shows the GC the figures were taken with (the benchmark sets it through DOTNET_gc*).
        await Console.Error.WriteLineAsync($"bare-forwarder: server GC {GCSettings.IsServerGC}, latency mode {GCSettings.LatencyMode}");
        await using var app = Create(listen, backend);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>The forwarder, not started (port 0 in <paramref name="listen"/> lets the OS choose, for tests).</summary>
    public static WebApplication Create(Uri listen, Uri backend)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listen.ToString());
        builder.Logging.ClearProviders();
        builder.Services.Configure<SocketTransportOptions>(transport => transport.UnsafePreferInlineScheduling = true);
        // One invoker for the process, disposed with the host: pooled keep-alive connections to the backend.
        builder.Services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }));
        var app = builder.Build();
        var invoker = app.Services.GetRequiredService<HttpMessageInvoker>();
        var prefix = backend.GetLeftPart(UriPartial.Authority);
        app.Map("/{**path}", context => ForwardAsync(context, invoker, prefix));
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker invoker, string backendPrefix)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(
            HttpMethod.Parse(request.Method),
            new Uri(backendPrefix + request.Path.ToUriComponent() + request.QueryString.ToUriComponent()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            // Streamed: StreamContent reads the request body as the handler sends it, nothing is buffered here.
            outgoing.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(outgoing, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyHeaders(response.Headers.NonValidated, context.Response.Headers);
            CopyHeaders(response.Content.Headers.NonValidated, context.Response.Headers);
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeadersNonValidated from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from)
        {
            if (!HopByHop.Contains(name))
            {
                to[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            }
        }
    }
}
