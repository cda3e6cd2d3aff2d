using HealthAI.Benchmarks.Load.Corpus;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.OnnxRuntime;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>
/// The ceiling: the same model and the same tensors run in this process through ONNX Runtime, one row per call, no HTTP and
/// no batching (the study's "in-process model" setup). The server's throughput is reported as a ratio against it.
/// Runs are admitted one per core with one intra-op thread each, as a tuned in-process web worker would run them: letting 100
/// users each start a run with ORT's default all-core thread pool oversubscribes the CPU and measures contention, not the model.
/// </summary>
public sealed class InProcessOrtTarget : ILoadTarget
{
    private readonly InferenceSession _session;
    private readonly (long[] Ids, long[] Mask)[] _tensors;
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public InProcessOrtTarget(string modelPath, IReadOnlyList<string> corpus, int maxLength = SyntheticTokenIds.MaxLength)
    {
        _session = new InferenceSession(modelPath, new SessionOptions { AllowSpinning = false, IntraOpNumThreads = 1, InterOpNumThreads = 1 });
        _tensors = [.. corpus.Select(text => SyntheticTokenIds.Encode(text, maxLength))];
        Description = $"in-process ONNX Runtime {OrtEnv.RuntimeVersion} {modelPath}";
    }

    public string Description { get; }

    public async ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken)
    {
        var (ids, mask) = _tensors[sequence % _tensors.Length];
        await _cores.WaitAsync(cancellationToken);
        try
        {
            // Run is synchronous; on the thread pool it behaves like a request handler would.
            var outputs = await Task.Run(() => _session.Run(
                [TensorInput.FromInt64("input_ids", ids, 1, ids.Length), TensorInput.FromInt64("attention_mask", mask, 1, mask.Length)],
                cancellationToken), cancellationToken);
            return outputs.Count > 0 && outputs[0].ElementCount == 2 ? RequestOutcome.Success : RequestOutcome.Failed("bad-response");
        }
        catch (OnnxRuntimeException exception)
        {
            return RequestOutcome.Failed("ort-" + exception.ErrorCode);
        }
        finally
        {
            _cores.Release();
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _cores.Dispose();
    }
}
