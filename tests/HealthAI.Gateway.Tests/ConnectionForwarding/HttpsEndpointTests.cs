using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// An HTTPS endpoint beside a plain one. The connection-level forwarder is Kestrel connection middleware from the endpoint
/// defaults, which Kestrel places outside an endpoint's TLS: it must leave HTTPS endpoints to Kestrel, or a plain-text request
/// sent to the HTTPS port would be served without TLS. Outside Development, answers over TLS carry HSTS.
/// </summary>
public class HttpsEndpointTests : ForwardingDestinations
{
    private const string Body = "{\"text\":\"Ottoline Vexbridge was seen.\"}";

    [Fact]
    public async Task A_plain_text_request_to_the_https_port_is_refused_and_nothing_is_forwarded()
    {
        using var certificate = new TestCertificate();
        await using var gateway = await StartAsync(certificate);
        var https = gateway.Addresses.Single(address => address.Scheme == Uri.UriSchemeHttps);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, https.Port), Ct);
        var token = TestTokens.Create(subject: "plain-text-client");
        var request = Wire.DeidentifyRequest(token, Body);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, Ct);

        // Kestrel's TLS layer takes the bytes for a failed handshake and closes the connection; nothing answers 200.
        var answer = await ReadUntilClosedAsync(socket);
        Assert.DoesNotContain("200 OK", answer, StringComparison.Ordinal);
        Assert.Empty(Deid.Requests);
        Assert.Empty(gateway.Forwarded);
    }

    [Fact]
    public async Task The_https_endpoint_serves_through_the_pipeline_and_the_plain_endpoint_at_the_connection()
    {
        using var certificate = new TestCertificate();
        await using var gateway = await StartAsync(certificate);
        var https = gateway.Addresses.Single(address => address.Scheme == Uri.UriSchemeHttps);
        var token = TestTokens.Create(subject: "tls-client");

        using (var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint })
        using (var client = new HttpClient(handler) { BaseAddress = https })
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await client.PostAsync("/v1/deidentify", new StringContent(Body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var client = gateway.CreateClient(token))
        {
            using var response = await client.PostAsync("/v1/deidentify", new StringContent(Body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(["https", "http"], Deid.Requests.Select(request => request.Headers["X-Forwarded-Proto"]));
        // Only the plain-HTTP request was the connection-level forwarder's.
        var forwarded = await gateway.ForwardedAsync(1, Ct);
        Assert.Equal([200], forwarded);
        Assert.Single(gateway.Forwarded);
    }

    [Fact]
    public async Task Outside_development_https_answers_carry_hsts_and_plain_http_answers_do_not()
    {
        using var certificate = new TestCertificate();
        await using var gateway = await StartAsync(certificate, environment: "Production");
        var https = gateway.Addresses.Single(address => address.Scheme == Uri.UriSchemeHttps);
        var token = TestTokens.Create(subject: "tls-client");

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var client = new HttpClient(handler);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        // HSTS leaves loopback host names out, so the requests name the gateway's public host.
        var answers = new List<HttpResponseMessage>();
        foreach (var address in new[] { https, gateway.Address })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/v1/deidentify")) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            request.Headers.Host = "gateway.example.org";
            answers.Add(await client.SendAsync(request, Ct));
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(answers[0].Headers.GetValues("Strict-Transport-Security")));
        Assert.False(answers[1].Headers.Contains("Strict-Transport-Security"));
        answers.ForEach(answer => answer.Dispose());
    }

    [Fact]
    public async Task A_localhost_endpoint_reloaded_from_http_to_https_serves_no_plain_text()
    {
        using var certificate = new TestCertificate();
        int port;
        using (var free = new TcpListener(IPAddress.Loopback, 0))
        {
            free.Start();
            port = ((IPEndPoint)free.LocalEndpoint).Port;
        }

        await using var gateway = await StartGatewayAsync(Deid, settings => settings["Kestrel:Endpoints:Main:Url"] = $"http://localhost:{port}", configuredEndpoints: true);
        var configuration = (IConfigurationRoot)gateway.App.Services.GetRequiredService<IConfiguration>();
        configuration["Kestrel:Endpoints:Main:Url"] = $"https://localhost:{port}";
        configuration["Kestrel:Endpoints:Main:Certificate:Path"] = certificate.Path;
        configuration["Kestrel:Endpoints:Main:Certificate:Password"] = TestCertificate.Password;
        configuration.Reload();

        // Kestrel rebinds the endpoint in the background: once TLS answers there, the port is the HTTPS endpoint's.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var tls = new HttpClient(handler);
        await WaitForTlsAsync(tls, new Uri($"https://127.0.0.1:{port}/alive"));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Ct);
        var token = TestTokens.Create();
        await socket.SendAsync(Encoding.ASCII.GetBytes(Wire.DeidentifyRequest(token, Body)), SocketFlags.None, Ct);

        Assert.DoesNotContain("200 OK", await ReadUntilClosedAsync(socket), StringComparison.Ordinal);
        Assert.Empty(Deid.Requests);
    }

    private static async Task WaitForTlsAsync(HttpClient tls, Uri alive)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var answer = await tls.GetAsync(alive, wait.Token);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Still the plain endpoint, or between the two.
            }

            await Task.Delay(50, wait.Token);
        }
    }

    private Task<KestrelGateway> StartAsync(TestCertificate certificate, string environment = "Development") =>
        StartGatewayAsync(Deid, settings =>
        {
            settings["environment"] = environment;
            settings["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0";
            settings["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0";
            settings["Kestrel:Endpoints:Https:Certificate:Path"] = certificate.Path;
            settings["Kestrel:Endpoints:Https:Certificate:Password"] = TestCertificate.Password;
        }, configuredEndpoints: true);

    private static async Task<string> ReadUntilClosedAsync(Socket socket)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset is a refusal too.
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // Still open after the wait: whatever came is the answer.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    /// <summary>A self-signed localhost certificate in a temporary PFX file, removed on dispose.</summary>
    private sealed class TestCertificate : IDisposable
    {
        public const string Password = "test-only";

        private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthai-gw-tests", Guid.NewGuid().ToString("n"));

        public TestCertificate()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            Thumbprint = certificate.Thumbprint;
            Directory.CreateDirectory(_directory);
            File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, Password));
        }

        public string Path => System.IO.Path.Combine(_directory, "gateway.pfx");

        public string Thumbprint { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
