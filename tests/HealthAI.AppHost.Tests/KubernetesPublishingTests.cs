using YamlDotNet.RepresentationModel;

namespace HealthAI.AppHost.Tests;

public sealed class KubernetesPublishingTests
{
    private static readonly string[] Services = ["deid", "tokenizer", "gateway"];
    private static readonly string[] Workloads = ["triton", "deid", "tokenizer", "gateway"];

    [Fact]
    public async Task Committed_deploy_k8s_equals_a_fresh_publish()
    {
        var output = TestPaths.NewTempDirectory();
        var (exitCode, log) = await TestPaths.RunAppHostAsync(TestContext.Current.CancellationToken, "publish", "--publisher", "kubernetes", "--output-path", output);
        Assert.True(exitCode == 0, log);

        var fresh = Files(output);
        var committed = Files(KubernetesTooling.K8sDirectory);
        Assert.Equal(fresh.Keys.Order(), committed.Keys.Order());
        foreach (var (path, content) in fresh)
        {
            Assert.True(committed[path] == content,
                $"deploy/k8s/{path} is stale: run `dotnet run --project HealthAI.AppHost -- publish --publisher kubernetes --output-path deploy/k8s`");
        }
    }

    [Fact]
    public async Task Kustomize_output_is_valid_against_the_Kubernetes_API_schemas()
    {
        if (!KubernetesTooling.HasCommand("kubectl") || !KubernetesTooling.HasCommand("npm"))
        {
            Assert.Skip("kubectl and npm are needed (apt-get install kubernetes-client; Node.js)");
        }

        var token = TestContext.Current.CancellationToken;
        var objects = await KubernetesTooling.KustomizeAsync(KubernetesTooling.K8sDirectory, token);
        var validator = await KubernetesTooling.EnsureValidatorAsync(token);

        var (exitCode, report, error) = await KubernetesTooling.RunAsync("node", ["validate.mjs"], objects, validator, token);

        Assert.True(exitCode == 0, report + error);
        foreach (var kind in new[] { "Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy" })
        {
            Assert.Contains($"valid {kind}/", report, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Schema_validation_rejects_a_malformed_object()
    {
        if (!KubernetesTooling.HasCommand("npm"))
        {
            Assert.Skip("npm is needed");
        }

        var token = TestContext.Current.CancellationToken;
        var validator = await KubernetesTooling.EnsureValidatorAsync(token);
        var deployment = File.ReadAllText(Path.Combine(KubernetesTooling.K8sDirectory, "deid", "deployment.yaml"))
            .Replace("containerPort: 8080", "containerPort: eighty", StringComparison.Ordinal);

        var (exitCode, report, _) = await KubernetesTooling.RunAsync("node", ["validate.mjs"], deployment, validator, token);

        Assert.Equal(1, exitCode);
        Assert.Contains("containerPort must be integer", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gpu_autoscaling_component_builds_and_switches_the_Triton_autoscaler_to_GPU_utilisation()
    {
        if (!KubernetesTooling.HasCommand("kubectl"))
        {
            Assert.Skip("kubectl is needed");
        }

        var overlay = TestPaths.NewTempDirectory();
        var k8s = KubernetesTooling.K8sDirectory;
        File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [{Path.GetRelativePath(overlay, k8s)}]
            components: [{Path.GetRelativePath(overlay, Path.Combine(k8s, "components", "gpu-autoscaling"))}]
            """);

        var objects = Documents(await KubernetesTooling.KustomizeAsync(overlay, TestContext.Current.CancellationToken));

        var hpa = objects.Single(o => Kind(o) == "HorizontalPodAutoscaler");
        var metric = (YamlMappingNode)((YamlSequenceNode)Get(hpa, "spec", "metrics"))[0];
        Assert.Equal("Pods", Scalar(metric, "type"));
        Assert.Equal("DCGM_FI_DEV_GPU_UTIL", Scalar(metric, "pods", "metric", "name"));
    }

    [Fact]
    public void Triton_runs_on_a_GPU_with_probes_model_volume_batching_config_and_autoscaling()
    {
        var deployment = Load("triton/deployment.yaml");
        var container = (YamlMappingNode)((YamlSequenceNode)Get(deployment, "spec", "template", "spec", "containers"))[0];

        Assert.Equal("1", Scalar(container, "resources", "limits", "nvidia.com/gpu"));
        Assert.Matches(@"^nvcr\.io/nvidia/tritonserver:\d\d\.\d\d-py3$", Scalar(container, "image"));
        Assert.Equal("/v2/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/v2/health/ready", Scalar(container, "startupProbe", "httpGet", "path"));
        Assert.Equal("/v2/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal(["8000", "8001", "8002"], ((YamlSequenceNode)Get(container, "ports")).Select(p => Scalar(p, "containerPort")));
        Assert.Contains(((YamlSequenceNode)Get(deployment, "spec", "template", "spec", "volumes")),
            v => ((YamlMappingNode)v).Children.ContainsKey("persistentVolumeClaim") && Scalar(v, "persistentVolumeClaim", "claimName") == "healthai-models");

        var modelConfig = Scalar(Load("triton/triton-model-config.yaml"), "data", "config.pbtxt");
        Assert.Contains("dynamic_batching", modelConfig, StringComparison.Ordinal);
        Assert.Contains("KIND_GPU", modelConfig, StringComparison.Ordinal);

        var hpa = Load("triton/hpa.yaml");
        Assert.Equal("2", Scalar(hpa, "spec", "minReplicas"));
        Assert.Equal("10", Scalar(hpa, "spec", "maxReplicas"));
        var metric = ((YamlSequenceNode)Get(hpa, "spec", "metrics"))[0];
        Assert.Equal("cpu", Scalar(metric, "resource", "name"));
        Assert.Equal("60", Scalar(metric, "resource", "target", "averageUtilization"));
    }

    [Fact]
    public void Every_workload_is_hardened_sized_probed_and_protected_by_a_disruption_budget()
    {
        foreach (var name in Workloads)
        {
            var pod = (YamlMappingNode)Get(Load($"{name}/deployment.yaml"), "spec", "template", "spec");
            Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
            var containers = ((YamlSequenceNode)pod["containers"]).Concat(pod.Children.ContainsKey("initContainers") ? (YamlSequenceNode)pod["initContainers"] : []);
            foreach (var container in containers)
            {
                Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
                Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
                Assert.Equal("ALL", Scalar(((YamlSequenceNode)Get(container, "securityContext", "capabilities", "drop"))[0]));
                Assert.NotNull(Get(container, "resources", "requests", "memory"));
                Assert.NotNull(Get(container, "resources", "limits", "memory"));
            }

            var main = ((YamlSequenceNode)pod["containers"])[0];
            Assert.NotNull(Get(main, "readinessProbe"));
            Assert.NotNull(Get(main, "livenessProbe"));
            Assert.NotNull(Get(main, "startupProbe"));
            Assert.Equal("1", Scalar(Load($"{name}/pdb.yaml"), "spec", "minAvailable"));
        }

        foreach (var name in Services)
        {
            var main = ((YamlSequenceNode)Get(Load($"{name}/deployment.yaml"), "spec", "template", "spec", "containers"))[0];
            Assert.Equal("/health", Scalar(main, "readinessProbe", "httpGet", "path"));
            Assert.Equal("/alive", Scalar(main, "livenessProbe", "httpGet", "path"));
        }
    }

    [Fact]
    public void Network_policies_admit_only_the_gateway_from_outside_and_each_service_from_its_callers()
    {
        Assert.Equal("{}", Get(Load("network-policy-default-deny.yaml"), "spec", "podSelector").ToString().Replace(" ", "", StringComparison.Ordinal));

        var gatewayRules = (YamlSequenceNode)Get(Load("gateway/network-policy.yaml"), "spec", "ingress");
        Assert.Single(gatewayRules);
        Assert.False(((YamlMappingNode)gatewayRules[0]).Children.ContainsKey("from"), "gateway must accept any source");

        var ingresses = Files(KubernetesTooling.K8sDirectory).Where(f => f.Value.Contains("kind: Ingress\n", StringComparison.Ordinal)).Select(f => f.Key);
        Assert.Equal(["gateway/ingress.yaml"], ingresses);
        Assert.Equal("ClusterIP", Scalar(Load("gateway/service.yaml"), "spec", "type"));

        Assert.Equal(["gateway"], Callers("deid"));
        Assert.Equal(["gateway"], Callers("tokenizer"));
        Assert.Equal(["gateway", "tokenizer"], Callers("triton"));

        static string[] Callers(string name)
        {
            var rules = ((YamlSequenceNode)Get(Load($"{name}/network-policy.yaml"), "spec", "ingress")).Cast<YamlMappingNode>().ToArray();
            Assert.All(rules, r => Assert.True(r.Children.ContainsKey("from"), $"{name} has a rule open to every source"));
            return rules.SelectMany(r => (YamlSequenceNode)r["from"])
                .Where(f => ((YamlMappingNode)f).Children.ContainsKey("podSelector"))
                .Select(f => Scalar(f, "podSelector", "matchLabels", "app.kubernetes.io/name")).Order().ToArray();
        }
    }

    [Fact]
    public void Secrets_are_referenced_never_written()
    {
        var all = Files(KubernetesTooling.K8sDirectory);
        Assert.DoesNotContain(all.Values, c => c.Contains("kind: Secret", StringComparison.Ordinal));

        var gateway = ((YamlSequenceNode)Get(Load("gateway/deployment.yaml"), "spec", "template", "spec", "containers"))[0];
        var signingKey = ((YamlSequenceNode)Get(gateway, "env")).Single(e => Scalar(e, "name") == "Authentication__Schemes__Bearer__SigningKeys__0__Value");
        Assert.Equal("gateway-secrets", Scalar(signingKey, "valueFrom", "secretKeyRef", "name"));
        Assert.Equal("jwt-signing-key", Scalar(signingKey, "valueFrom", "secretKeyRef", "key"));

        var deid = ((YamlSequenceNode)Get(Load("deid/deployment.yaml"), "spec", "template", "spec", "containers"))[0];
        Assert.Equal("deid-surrogate-key", Scalar(((YamlSequenceNode)Get(deid, "env"))[0], "valueFrom", "secretKeyRef", "key"));
        Assert.DoesNotContain("HealthAI__Deid__SurrogateKey", ((YamlMappingNode)Get(Load("deid/configmap.yaml"), "data")).Children.Keys.Select(k => k.ToString()));
        Assert.Equal("http://triton:8001", Scalar(Load("tokenizer/configmap.yaml"), "data", "services__triton__grpc__0"));
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText);

    private static YamlMappingNode Load(string relativePath) =>
        Documents(File.ReadAllText(Path.Combine(KubernetesTooling.K8sDirectory, relativePath))).Single();

    private static List<YamlMappingNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string Kind(YamlMappingNode node) => Scalar(node, "kind");

    private static YamlNode Get(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var child), $"missing '{key}' in {string.Join('.', path)}");
            node = child!;
        }

        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(Get(node, path)).Value!;
}
