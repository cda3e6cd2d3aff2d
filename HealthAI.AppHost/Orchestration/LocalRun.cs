using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using HealthAI.AppHost.ApplicationModel;
using HealthAI.AppHost.DevelopmentSecrets;
using Microsoft.Extensions.Logging;

namespace HealthAI.AppHost.Orchestration;

/// <summary>
/// `dotnet run --project HealthAI.AppHost`: every resource as a process on 127.0.0.1 in dependency order, Aspire's environment
/// conventions injected, a resource table, `.healthai/session.json` with a development token, and a clean stop on Ctrl+C/SIGTERM.
/// </summary>
public sealed class LocalRun(DistributedApplicationModel model, AppHostEnvironment environment, CommandLine command)
{
    private static readonly TimeSpan PrerequisiteTimeout = TimeSpan.FromMinutes(10);
    private static readonly string[] ContainerEngines = ["docker", "podman"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (command.Triton == "container")
        {
            throw new InvalidOperationException(ContainerEngineMessage());
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggerFactory.CreateLogger("HealthAI.AppHost");
        var parameters = ResolveParameters(model, environment);
        var ports = AssignPorts();
        await EnsurePrerequisitesAsync(logger, cancellationToken);
        var specs = model.StartOrder().Select(r => CreateSpec(r, ports, parameters)).ToArray();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var supervisor = new ProcessSupervisor(specs, new SupervisorOptions(), logger, new ConsoleResourceOutput(), TimeProvider.System);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        try
        {
            await supervisor.StartAsync(stop.Token);
            var gatewayUrl = Url(ports, "gateway", "http");
            var token = new DevelopmentTokenIssuer(JwtSettingsFrom(parameters), TimeProvider.System).Issue([DevelopmentTokenIssuer.DefaultScope], command.TokenLifetime);
            WriteSession(gatewayUrl, token, ports);
            PrintTable(ports, supervisor);
            Console.WriteLine($$"""

                Session: {{Path.Combine(environment.StateDirectory, "session.json")}}
                Try it:
                  curl -s {{gatewayUrl}}/v1/notes/analyze -H "Authorization: Bearer $(jq -r .token .healthai/session.json)" -H "Content-Type: application/json" -d '{"text":"Patient reports feeling much better today."}'
                Press Ctrl+C to stop.
                """);
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM, possibly while resources were still starting.
        }
        finally
        {
            Log.Stopping(logger);
            await supervisor.StopAsync();
        }

        return 0;

        void Cancel(PosixSignalContext context)
        {
            // A terminal's Ctrl+C reaches the children too: tell the supervisor first, so their exits are not restarted as crashes.
            context.Cancel = true;
            supervisor.BeginStop();
            stop.Cancel();
        }
    }

    public static IReadOnlyDictionary<string, string> ResolveParameters(DistributedApplicationModel model, AppHostEnvironment environment) =>
        new DevelopmentSecretStore(environment.StateDirectory, key => Environment.GetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal)))
            .Resolve(model.Resources.OfType<ParameterResource>());

    public static JwtSettings JwtSettingsFrom(IReadOnlyDictionary<string, string> parameters) =>
        new(parameters["jwt-issuer"], parameters["jwt-audience"], parameters["jwt-signing-key"], parameters["jwt-signing-key-id"]);

    private static string ContainerEngineMessage()
    {
        var engine = ContainerEngines.FirstOrDefault(e => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, e))));
        return engine is null
            ? "--triton container needs a container engine (docker or podman) on PATH and none was found. " +
              "Run without it to use HealthAI.InferenceServer, or see docs/deploy.md for running the Triton image."
            : $"--triton container: found {engine}, but running containers (with --gpus) is not supported by this AppHost yet; " +
              $"start it yourself: {engine} run --gpus=1 -p8000:8000 -p8001:8001 -p8002:8002 -v $PWD/models:/models {TritonContainerImageTags.Image}:{TritonContainerImageTags.Tag} tritonserver --model-repository=/models";
    }

    /// <summary>Each endpoint's local port: its declared one, or an OS-assigned free one with --dynamic-ports (or when none is declared).</summary>
    private Dictionary<(string Resource, string Endpoint), int> AssignPorts()
    {
        var ports = new Dictionary<(string, string), int>();
        foreach (var resource in model.Resources)
        {
            foreach (var endpoint in resource.Endpoints)
            {
                if (!command.DynamicPorts && (endpoint.Port ?? endpoint.TargetPort) is { } port)
                {
                    EnsurePortIsFree(resource.Name, endpoint.Name, port);
                    ports[(resource.Name, endpoint.Name)] = port;
                }
                else
                {
                    ports[(resource.Name, endpoint.Name)] = FreePort();
                }
            }
        }

        return ports;
    }

    /// <summary>A taken port would surface later as a child that never becomes healthy: say so up front.</summary>
    private static void EnsurePortIsFree(string resource, string endpoint, int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException)
        {
            throw new InvalidOperationException(
                $"Port {port} ({resource} {endpoint}) is already in use on 127.0.0.1: stop what listens there, or run with --dynamic-ports.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task EnsurePrerequisitesAsync(ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var resource in model.Resources)
        {
            var project = ProjectOf(resource);
            foreach (var prerequisite in resource.AnnotationsOf<LocalPrerequisiteAnnotation>())
            {
                var path = Path.Combine(environment.RepositoryRoot, prerequisite.RelativePath);
                if (File.Exists(path) || project is null)
                {
                    continue;
                }

                Log.GeneratingPrerequisite(logger, prerequisite.Description, prerequisite.RelativePath);
                var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = environment.RepositoryRoot };
                startInfo.ArgumentList.Add(AssemblyPath(project));
                foreach (var argument in prerequisite.CreateArguments)
                {
                    startInfo.ArgumentList.Add(argument);
                }

                using var process = Process.Start(startInfo)!;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(PrerequisiteTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException(
                        $"Generating the {prerequisite.Description} did not finish within {PrerequisiteTimeout.TotalMinutes} minutes; it was stopped.");
                }

                if (process.ExitCode != 0 || !File.Exists(path))
                {
                    throw new InvalidOperationException(
                        $"Could not generate the {prerequisite.Description} ({prerequisite.RelativePath}): '{project.AssemblyName} {string.Join(' ', prerequisite.CreateArguments)}' exited with {process.ExitCode}.");
                }
            }
        }
    }

    private static IProjectMetadata? ProjectOf(Resource resource) => resource switch
    {
        ProjectResource project => project.Project,
        _ => resource.AnnotationsOf<LocalProjectAnnotation>().FirstOrDefault()?.Project,
    };

    private string AssemblyPath(IProjectMetadata project)
    {
        var path = environment.ProjectAssemblyPath(project);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: build it with 'dotnet build {project.ProjectPath}' (dotnet run --project HealthAI.AppHost builds it).");
    }

    private ProcessSpec CreateSpec(Resource resource, Dictionary<(string Resource, string Endpoint), int> ports, IReadOnlyDictionary<string, string> parameters)
    {
        var project = ProjectOf(resource) ?? throw new InvalidOperationException($"Resource '{resource.Name}' cannot run locally.");
        var arguments = new List<string> { AssemblyPath(project) };
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = resource.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Guid.NewGuid():N}",
        };
        if (resource.AnnotationsOf<LocalProjectAnnotation>().FirstOrDefault() is { } local)
        {
            var localPorts = resource.Endpoints.ToDictionary(e => e.Name, e => ports[(resource.Name, e.Name)]);
            arguments.AddRange(local.Arguments(new LocalLaunchContext(environment.RepositoryRoot, localPorts)));
        }
        else if (resource.Endpoints.FirstOrDefault(e => e.Scheme == "http") is { } http)
        {
            variables["ASPNETCORE_URLS"] = Url(ports, resource.Name, http.Name);
        }

        // OTLP only when a collector or dashboard is configured, as Aspire's run mode does.
        if ((Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") ?? Environment.GetEnvironmentVariable("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")) is { Length: > 0 } otlp)
        {
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL") ?? "grpc";
        }

        foreach (var (name, value) in EnvironmentConventions.For(resource, ExecutionMode.Run))
        {
            variables[name] = value switch
            {
                LiteralValue literal => literal.Value,
                ParameterResource parameter => parameters[parameter.Name],
                EndpointReference { Property: EndpointProperty.Url } endpoint => Url(ports, endpoint.Resource.Name, endpoint.EndpointName),
                EndpointReference { Property: EndpointProperty.Host } => "127.0.0.1",
                EndpointReference endpoint => ports[(endpoint.Resource.Name, endpoint.EndpointName)].ToString(CultureInfo.InvariantCulture),
                _ => throw new NotSupportedException(value.GetType().Name),
            };
        }

        // From its project directory, as Aspire and `dotnet run` start a web project: ASP.NET Core's content root is the
        // working directory, so that is where a service finds its appsettings.json (the gateway's forwarded routes are there).
        var health = resource.AnnotationsOf<HealthCheckAnnotation>().FirstOrDefault();
        return new ProcessSpec(
            resource.Name,
            "dotnet",
            arguments,
            variables,
            Path.Combine(environment.RepositoryRoot, Path.GetDirectoryName(project.ProjectPath)!),
            health is null ? null : new Uri(Url(ports, resource.Name, health.EndpointName) + health.Path),
            DistributedApplicationModel.DependenciesOf(resource).Select(d => d.Name).ToArray());
    }

    private static string Url(Dictionary<(string Resource, string Endpoint), int> ports, string resource, string endpoint) =>
        string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports[(resource, endpoint)]}");

    private void WriteSession(string gatewayUrl, string token, Dictionary<(string Resource, string Endpoint), int> ports)
    {
        var session = new Dictionary<string, object>
        {
            ["gateway"] = gatewayUrl,
            ["token"] = token,
            ["scopes"] = new[] { DevelopmentTokenIssuer.DefaultScope },
            ["resources"] = ports.GroupBy(p => p.Key.Resource).ToDictionary(
                g => g.Key, g => g.ToDictionary(p => p.Key.Endpoint, p => Url(ports, p.Key.Resource, p.Key.Endpoint))),
        };
        PrivateFile.Write(Path.Combine(environment.StateDirectory, "session.json"),
            JsonSerializer.Serialize(session, Indented));
    }

    private void PrintTable(Dictionary<(string Resource, string Endpoint), int> ports, ProcessSupervisor supervisor)
    {
        Console.WriteLine();
        Console.WriteLine($"{"RESOURCE",-12}{"STATE",-10}{"ENDPOINTS"}");
        foreach (var resource in model.StartOrder())
        {
            var endpoints = string.Join("  ", resource.Endpoints.Select(e => $"{e.Name}={Url(ports, resource.Name, e.Name)}"));
            Console.WriteLine($"{resource.Name,-12}{supervisor.GetState(resource.Name),-10}{endpoints}");
        }
    }
}
