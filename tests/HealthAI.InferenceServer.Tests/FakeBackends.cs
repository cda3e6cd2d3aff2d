using HealthAI.InferenceServer.Execution;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Tests;

/// <summary>
/// A test backend (<c>backend: "recording"</c>): copies input 0 to output 0 like identity, records every batch's shape, and
/// can hold executions until the test releases them.
/// </summary>
public sealed class RecordingBackend : IModelBackend, IDisposable
{
    public const string Name = "recording";
    private readonly SemaphoreSlim _gate = new(0);

    public List<long[]> BatchShapes { get; } = [];

    public bool Blocking { get; private set; }

    public SemaphoreSlim Started { get; } = new(0);

    public bool Supports(ModelConfig config) => config.Backend == Name;

    public IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex) => new Instance(this, context.Config);

    /// <summary>From now on each execution waits for one <see cref="Release"/>.</summary>
    public void Block()
    {
        while (_gate.CurrentCount > 0)
        {
            _gate.Wait(0);
        }

        Blocking = true;
    }

    public void Release(int count = 1) => _gate.Release(count);

    /// <summary>Stops blocking and lets every waiting execution go.</summary>
    public void Unblock()
    {
        Blocking = false;
        _gate.Release(1000);
    }

    public void Dispose()
    {
        _gate.Dispose();
        Started.Dispose();
    }

    private sealed class Instance(RecordingBackend owner, ModelConfig config) : IModelInstance
    {
        public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            lock (owner.BatchShapes)
            {
                owner.BatchShapes.Add(inputs[0].Shape);
            }

            owner.Started.Release();
            if (owner.Blocking)
            {
                owner._gate.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            return [inputs[0] with { Name = outputNames[0], Datatype = TritonDataType.FromConfig(config.Output[0].DataType) }];
        }

        public void Dispose()
        {
        }
    }
}
