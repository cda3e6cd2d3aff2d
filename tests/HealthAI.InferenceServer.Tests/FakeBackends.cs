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

    /// <summary>Per batch, the managed thread that executed it.</summary>
    public List<int> ThreadIds { get; } = [];

    /// <summary>Per batch, whether it ran on a thread-pool thread.</summary>
    public List<bool> OnThreadPool { get; } = [];

    /// <summary>Set when an instance was disposed while one of its executions was still running.</summary>
    public bool DisposedWhileExecuting { get; private set; }

    /// <summary>Per batch, the first INT64 element of every row of input 0 (tests send one value per request).</summary>
    public List<long[]> BatchValues { get; } = [];

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
        private int _executing;

        public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            lock (owner.BatchShapes)
            {
                owner.BatchShapes.Add(inputs[0].Shape);
                owner.BatchValues.Add(RowValues(inputs[0]));
                owner.ThreadIds.Add(Environment.CurrentManagedThreadId);
                owner.OnThreadPool.Add(Thread.CurrentThread.IsThreadPoolThread);
            }

            Interlocked.Increment(ref _executing);
            owner.Started.Release();
            if (owner.Blocking)
            {
                owner._gate.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            Interlocked.Decrement(ref _executing);
            return [inputs[0] with { Name = outputNames[0], Datatype = TritonDataType.FromConfig(config.Output[0].DataType) }];
        }

        private static long[] RowValues(InferTensor tensor)
        {
            if (tensor.Datatype != "INT64" || tensor.Data.IsEmpty)
            {
                return [];
            }

            var rows = (int)tensor.Shape[0];
            var rowBytes = tensor.Data.Length / rows;
            return [.. Enumerable.Range(0, rows).Select(r => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(tensor.Data.Span[(r * rowBytes)..]))];
        }

        public void Dispose()
        {
            if (Volatile.Read(ref _executing) > 0)
            {
                owner.DisposedWhileExecuting = true;
            }
        }
    }
}

/// <summary>
/// A test backend (<c>backend: "gated"</c>) whose executions each wait for their own gate, keyed by the first INT64 value of
/// input 0, so a test decides which of several parallel batches finishes first.
/// </summary>
public sealed class GatedBackend : IModelBackend
{
    public const string Name = "gated";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, TaskCompletionSource> _gates = new();

    public SemaphoreSlim Started { get; } = new(0);

    public bool Supports(ModelConfig config) => config.Backend == Name;

    public IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex) => new Instance(this, context.Config);

    public void Open(long value) => Gate(value).TrySetResult();

    public void OpenAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    private TaskCompletionSource Gate(long value) =>
        _gates.GetOrAdd(value, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Instance(GatedBackend owner, ModelConfig config) : IModelInstance
    {
        public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            var gate = owner.Gate(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(inputs[0].Data.Span));
            owner.Started.Release();
            gate.Task.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            return [inputs[0] with { Name = outputNames[0], Datatype = TritonDataType.FromConfig(config.Output[0].DataType) }];
        }

        public void Dispose()
        {
        }
    }
}
