namespace HealthAI.InferenceServer.Tests;

/// <summary>A throw-away Triton model repository on disk.</summary>
public sealed class TestRepository : IDisposable
{
    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "healthai-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public const string Simple = """
        name: "simple"
        backend: "identity"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        dynamic_batching { preferred_batch_size: [ 4, 8 ] max_queue_delay_microseconds: 100 }
        """;

    public const string Strings = """
        backend: "identity"
        max_batch_size: 0
        input [ { name: "TEXT" data_type: TYPE_STRING dims: [ -1 ] }, { name: "SCORE" data_type: TYPE_FP32 dims: [ 2 ] } ]
        output [ { name: "TEXT_OUT" data_type: TYPE_STRING dims: [ -1 ] }, { name: "SCORE_OUT" data_type: TYPE_FP32 dims: [ 2 ] } ]
        """;

    public const string Slow = """
        backend: "recording"
        max_batch_size: 4
        input [ { name: "INPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        """;

    public const string Broken = "name: \"broken\"\nbackend: \"identity\"\nmax_batch_size: [ 4 ]\n";

    public TestRepository WithModel(string name, string config, params int[] versions)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.pbtxt"), config);
        foreach (var version in versions.DefaultIfEmpty(1))
        {
            Directory.CreateDirectory(Path.Combine(directory, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the OS otherwise.
        }
    }
}
