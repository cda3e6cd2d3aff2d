using HealthAI.Benchmarks.Load.Launch;
using HealthAI.Benchmarks.Load.Soak;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Tests;

public class LaunchAndSoakTests
{
    private const string Config = """
        name: "distilbert-sst2"
        platform: "onnxruntime_onnx"
        max_batch_size: 16
        dynamic_batching {
          preferred_batch_size: [ 4, 8 ]
          max_queue_delay_microseconds: 500
          default_queue_policy { timeout_action: REJECT }
        }
        instance_group [ { kind: KIND_CPU count: 1 } ]
        """;

    [Fact]
    public void TheNoBatchingVariantDropsTheWholeNestedBlockAndKeepsTheRest()
    {
        var plain = ModelRepositoryVariants.WithoutDynamicBatching(Config);

        Assert.DoesNotContain("dynamic_batching", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("timeout_action", plain, StringComparison.Ordinal);
        Assert.Contains("instance_group [ { kind: KIND_CPU count: 1 } ]", plain, StringComparison.Ordinal);
        Assert.Contains("max_batch_size: 16", plain, StringComparison.Ordinal);
        Assert.Equal(plain.Count(c => c == '{'), plain.Count(c => c == '}'));
        Assert.Throws<FormatException>(() => ModelRepositoryVariants.WithoutDynamicBatching("dynamic_batching { {"));
    }

    [Fact]
    public void AMentionInACommentIsNotABlock()
    {
        const string Commented = "# no dynamic_batching here, see below\nname: \"m\"\ndynamic_batching { max_queue_delay_microseconds: 1 }\n";
        Assert.Equal("# no dynamic_batching here, see below\nname: \"m\"\n\n", ModelRepositoryVariants.WithoutDynamicBatching(Commented));
    }

    [Fact]
    public void TheBatchingVariantKeepsAnExistingBlockOrAddsTheDefault()
    {
        Assert.Equal(Config, ModelRepositoryVariants.WithDynamicBatching(Config));
        var added = ModelRepositoryVariants.WithDynamicBatching("name: \"m\"\nmax_batch_size: 8\n");
        Assert.EndsWith(ModelRepositoryVariants.DefaultDynamicBatching, added, StringComparison.Ordinal);
    }

    [Fact]
    public void VariantsCopyTheRepositoryWithOnlyTheConfigChanged()
    {
        var root = Directory.CreateTempSubdirectory("bench-models-");
        try
        {
            var model = Directory.CreateDirectory(Path.Combine(root.FullName, "source", "distilbert-sst2", "1"));
            File.WriteAllText(Path.Combine(model.Parent!.FullName, "config.pbtxt"), Config);
            File.WriteAllBytes(Path.Combine(model.FullName, "model.onnx"), [1, 2, 3]);

            var (noBatching, batching) = ModelRepositoryVariants.Create(Path.Combine(root.FullName, "source"), Path.Combine(root.FullName, "out"));

            Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(noBatching, "distilbert-sst2", "1", "model.onnx")));
            Assert.DoesNotContain("dynamic_batching", File.ReadAllText(Path.Combine(noBatching, "distilbert-sst2", "config.pbtxt")), StringComparison.Ordinal);
            Assert.Contains("dynamic_batching", File.ReadAllText(Path.Combine(batching, "distilbert-sst2", "config.pbtxt")), StringComparison.Ordinal);
            Assert.Throws<DirectoryNotFoundException>(() => ModelRepositoryVariants.Create(Path.Combine(root.FullName, "missing"), root.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("HealthAI.InferenceServer listening http=http://127.0.0.1:40001 grpc=http://127.0.0.1:40002 metrics=http://127.0.0.1:40003", "http://127.0.0.1:40001/", "http://127.0.0.1:40002/")]
    [InlineData("info: HealthAI.InferenceServer listening http=40001 grpc=40002 metrics=40003", "http://127.0.0.1:40001/", "http://127.0.0.1:40002/")]
    [InlineData("HealthAI.InferenceServer listening http=http://0.0.0.0:8000 grpc=127.0.0.1:8001 metrics=8002", "http://127.0.0.1:8000/", "http://127.0.0.1:8001/")]
    public void TheInferenceServerBannerGivesItsAddresses(string line, string http, string grpc)
    {
        Assert.True(InferenceServerBanner.IsBanner(line));
        var (httpUri, grpcUri) = InferenceServerBanner.Parse(line);
        Assert.Equal(new Uri(http), httpUri);
        Assert.Equal(new Uri(grpc), grpcUri);
        Assert.Throws<FormatException>(() => InferenceServerBanner.Parse("HealthAI.InferenceServer listening metrics=1"));
    }

    [Fact]
    public void ServiceBinariesThatAreNotBuiltSayHowToBuildThem()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SystemLauncher.ServiceBinary("/nonexistent", "HealthAI.Gateway", "Release"));
        Assert.Contains("dotnet build -c Release HealthAI.Gateway", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(SystemLauncher.FindRepositoryRoot(AppContext.BaseDirectory), "HealthAI.sln")));
    }

    [Fact]
    public void TheSoakPassesOnlyWithNothingLostAndBoundedMemory()
    {
        var clean = ReportingTests.Run(100, 500, 10, 20) with { Errors = 30, ExplicitRejections = 30, ErrorsByKind = new Dictionary<string, long> { ["http-429"] = 30 } };
        var steady = SoakRunner.Growth(1, 100 << 20, 105 << 20, 0.10);
        var leaking = SoakRunner.Growth(2, 100 << 20, 120 << 20, 0.10);

        Assert.True(SoakRunner.Evaluate("c", clean, [steady], 0.10).Passed);
        Assert.Equal(0.05, steady.Growth);
        Assert.False(SoakRunner.Evaluate("c", clean, [steady, leaking], 0.10).Passed);
        var lost = SoakRunner.Evaluate("c", clean with { Errors = 31, ErrorsByKind = new Dictionary<string, long> { ["http-429"] = 30, ["timeout"] = 1 } }, [steady], 0.10);
        Assert.False(lost.Passed);
        Assert.Equal(1, lost.Lost);
        Assert.Contains("1 lost", lost.Summary, StringComparison.Ordinal);
        Assert.False(SoakRunner.Growth(3, 100, null, 0.10).WithinLimit);
    }

    [Fact]
    public void ResidentMemoryIsReadFromProc()
    {
        Assert.Equal(1234L, ProcessMemory.ParseKilobytes("   1234 kB"));
        Assert.Null(ProcessMemory.ParseKilobytes("lots"));
        if (OperatingSystem.IsLinux())
        {
            Assert.True(new ProcessMemory().RssBytes(Environment.ProcessId) > 1 << 20);
            Assert.Null(new ProcessMemory().RssBytes(int.MaxValue));
        }
    }

    [Fact]
    public void MachineInfoNamesTheCpuAndCores()
    {
        var machine = MachineInfo.Current();
        Assert.Equal(Environment.ProcessorCount, machine.LogicalCores);
        Assert.False(string.IsNullOrWhiteSpace(machine.Cpu));
    }
}
