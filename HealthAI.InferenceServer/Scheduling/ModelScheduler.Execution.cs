using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>Running batches on an instance, cutting the outputs apart and answering the callers (in order when asked).</summary>
public sealed partial class ModelScheduler
{
    /// <summary>
    /// Runs <paramref name="batch"/>, then keeps the instance busy with whatever batch the planner would send now, so under load
    /// an instance goes from one execution to the next on the same thread. It hands the instance back to the batching loop only
    /// when nothing is ready (an empty queue, or a partial batch still within its queue delay).
    /// </summary>
    private void RunInstance(List<Pending> batch, InstanceThread thread)
    {
        try
        {
            for (List<Pending>? next = batch; next is not null; next = TakeReadyBatch())
            {
                Execute(next, thread.Instance);
            }
        }
        finally
        {
            _free.Push(thread);
            _slots.Release();
        }
    }

    private List<Pending>? TakeReadyBatch()
    {
        if (_stop.IsCancellationRequested)
        {
            return null;
        }

        lock (_gate)
        {
            ExpireTimedOut();
            var decision = Plan();
            return decision.TakeNow ? TakeLocked(decision.Count) : null;
        }
    }

    private void Execute(List<Pending> batch, IModelInstance instance)
    {
        var started = _time.GetTimestamp();
        try
        {
            var sizes = new int[batch.Count];
            var total = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                sizes[i] = batch[i].BatchSize;
                total += sizes[i];
            }

            // One request runs on its own buffers: no copy in, no copy out.
            int[]? lengths = null;
            var longest = 0;
            var inputs = batch.Count == 1 ? batch[0].Inputs : Assemble(batch, out lengths, out longest);
            var inputDone = _time.GetTimestamp();
            var outputs = instance.Execute(inputs, _outputNames, CancellationToken.None);
            var inferDone = _time.GetTimestamp();

            var results = new InferTensor[batch.Count][];
            if (batch.Count == 1)
            {
                results[0] = outputs as InferTensor[] ?? [.. outputs];
            }
            else
            {
                for (var r = 0; r < batch.Count; r++)
                {
                    results[r] = new InferTensor[outputs.Count];
                }

                for (var o = 0; o < outputs.Count; o++)
                {
                    var parts = lengths is null
                        ? BatchAssembler.Split(outputs[o], sizes)
                        : _policy.Ragged!.Split(outputs[o], o, sizes, lengths, longest);
                    for (var r = 0; r < batch.Count; r++)
                    {
                        results[r][o] = parts[r];
                    }
                }
            }

            var outputDone = _time.GetTimestamp();
            TimeSpan input = _time.GetElapsedTime(started, inputDone), infer = _time.GetElapsedTime(inputDone, inferDone),
                output = _time.GetElapsedTime(inferDone, outputDone);
            Statistics.RecordExecution(total, input, infer, output, _time.GetUtcNow().ToUnixTimeMilliseconds());
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.BatchExecuted(_logger, _modelName, _version, batch.Count, total, inputs[0].ShapeText);
            }

            for (var r = 0; r < batch.Count; r++)
            {
                var request = batch[r];
                Statistics.RecordSuccess(_time.GetElapsedTime(request.EnqueuedAt), _time.GetElapsedTime(request.EnqueuedAt, started),
                    input, infer, output);
                Deliver(request, results[r], null);
            }
        }
        catch (Exception ex)
        {
            Log.ExecutionFailed(_logger, _modelName, _version, batch.Count, ex.GetType().Name);
            var error = ex as InferenceException
                ?? new InferenceException(TritonErrorKind.Internal, $"model '{_modelName}' failed to execute the batch ({ex.GetType().Name})");
            foreach (var request in batch)
            {
                Statistics.RecordFailure(FailureReason.Backend, _time.GetElapsedTime(request.EnqueuedAt));
                Deliver(request, null, error);
            }
        }
    }

    /// <summary>
    /// The batch's inputs, joined along dimension 0; for a ragged model whose requests differ in length, each padded to the
    /// longest (<paramref name="lengths"/> is then each request's own length, else null).
    /// </summary>
    private InferTensor[] Assemble(List<Pending> batch, out int[]? lengths, out int longest)
    {
        var perRequest = new IReadOnlyList<InferTensor>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            perRequest[i] = batch[i].Inputs;
        }

        lengths = null;
        longest = 0;
        if (_policy.Ragged is { } ragged)
        {
            var own = new int[batch.Count];
            var shortest = int.MaxValue;
            for (var i = 0; i < batch.Count; i++)
            {
                own[i] = ragged.SequenceLength(perRequest[i]);
                longest = Math.Max(longest, own[i]);
                shortest = Math.Min(shortest, own[i]);
            }

            if (shortest != longest)
            {
                lengths = own;
            }
        }

        var inputs = new InferTensor[perRequest[0].Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = lengths is null ? BatchAssembler.Concatenate(perRequest, i) : _policy.Ragged!.Pad(perRequest, i, longest);
        }

        return inputs;
    }

    /// <summary>Answers a request; under preserve_ordering, only once every request taken before it has been answered.</summary>
    private void Deliver(Pending request, InferTensor[]? result, Exception? error)
    {
        request.Registration.Dispose();
        if (!_policy.PreserveOrdering)
        {
            Complete(request, result, error);
            return;
        }

        List<Pending>? ready = null;
        lock (_orderGate)
        {
            request.Result = result;
            request.Error = error;
            request.Finished = true;
            while (_ordered.TryPeek(out var head) && head.Finished)
            {
                (ready ??= []).Add(_ordered.Dequeue());
            }
        }

        if (ready is not null)
        {
            foreach (var next in ready)
            {
                Complete(next, next.Result, next.Error);
                next.Result = null;
            }
        }
    }

    private static void Complete(Pending request, InferTensor[]? result, Exception? error)
    {
        if (error is null)
        {
            request.Completion.TrySetResult(result!);
        }
        else
        {
            request.Completion.TrySetException(error);
        }
    }
}
