using System.Collections.Concurrent;
using HealthAI.InferenceServer.Execution;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.TritonClient.Tests.RealServer;

/// <summary>
/// A test backend (<c>backend: "gate"</c>) that echoes its inputs like Triton's identity backend, but only once the test opens
/// the model's gate: it holds the model's single instance busy so queue-full, queue-timeout, deadline and cancellation
/// behaviour can be produced on demand. Every gated model has its own gate, so tests cannot disturb each other.
/// </summary>
public sealed class GateBackend : IModelBackend
{
    public const string Name = "gate";

    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public bool Supports(ModelConfig config) => config.Backend == Name;

    public IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex) => new Instance(For(context.ModelName), context.Config);

    public Gate For(string modelName) => _gates.GetOrAdd(modelName, _ => new Gate());

    /// <summary>Opens every gate (at shutdown nothing may stay blocked).</summary>
    public void OpenAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Open();
        }
    }

    public sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the first batch is executing (and held at the gate).</summary>
        public Task WaitUntilExecutingAsync(CancellationToken cancellationToken) => _entered.Task.WaitAsync(cancellationToken);

        /// <summary>Lets every held and future batch through.</summary>
        public void Open() => _open.TrySetResult();

        internal void Pass(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            _open.Task.Wait(cancellationToken);
        }
    }

    private sealed class Instance(Gate gate, ModelConfig config) : IModelInstance
    {
        public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            gate.Pass(cancellationToken);
            var results = new InferTensor[outputNames.Count];
            for (var i = 0; i < outputNames.Count; i++)
            {
                var index = config.Output.ToList().FindIndex(o => o.Name == outputNames[i]);
                var input = inputs.First(t => t.Name == config.Input[index].Name);
                results[i] = input with { Name = outputNames[i] };
            }

            return results;
        }

        public void Dispose()
        {
        }
    }
}
