using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>The instances' own threads: each model instance runs its batches on a dedicated thread, never on the thread pool.</summary>
public sealed partial class ModelScheduler
{
    private InstanceThread[] StartInstanceThreads(IReadOnlyList<IModelInstance> instances)
    {
        var threads = new InstanceThread[instances.Count];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new InstanceThread(this, instances[i], $"{_modelName}:{_version}#{i}");
        }

        return threads;
    }

    /// <summary>Lets every instance thread return once idle and waits until they have (a running batch finishes first).</summary>
    private async Task StopInstanceThreadsAsync()
    {
        foreach (var thread in _threads)
        {
            thread.Exit();
        }

        foreach (var thread in _threads)
        {
            await thread.Exited;
        }
    }

    /// <summary>
    /// One model instance and the dedicated thread that runs it. A model run blocks its thread for the whole execution (inside
    /// ONNX Runtime, milliseconds to seconds); on a thread-pool thread that takes a worker from the pool that Kestrel, the
    /// protocol handlers and every caller's continuation need, and under steady load the instance would hold it for good
    /// (it runs waiting batches back to back), leaving the pool to inject replacements. A thread of its own per instance keeps
    /// the pool whole and costs one idle thread per instance.
    /// </summary>
    private sealed class InstanceThread
    {
        private readonly ModelScheduler _scheduler;
        private readonly object _signal = new();
        private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private List<Pending>? _assigned;
        private bool _exit;

        public InstanceThread(ModelScheduler scheduler, IModelInstance instance, string name)
        {
            _scheduler = scheduler;
            Instance = instance;
            new Thread(Loop) { IsBackground = true, Name = name }.Start();
        }

        public IModelInstance Instance { get; }

        /// <summary>Completes once the thread has returned (after <see cref="Exit"/> and any batch it was running).</summary>
        public Task Exited => _exited.Task;

        /// <summary>Hands the idle thread a batch. Only the batching loop calls this, for a thread it took from the free ones.</summary>
        public void Assign(List<Pending> batch)
        {
            lock (_signal)
            {
                _assigned = batch;
                Monitor.Pulse(_signal);
            }
        }

        /// <summary>Lets the thread return once it is idle.</summary>
        public void Exit()
        {
            lock (_signal)
            {
                _exit = true;
                Monitor.Pulse(_signal);
            }
        }

        private void Loop()
        {
            try
            {
                while (NextAssigned() is { } batch)
                {
                    _scheduler.RunInstance(batch, this);
                }
            }
            finally
            {
                _exited.TrySetResult();
            }
        }

        /// <summary>Sleeps until a batch is assigned (returns it) or the thread is told to exit (returns null).</summary>
        private List<Pending>? NextAssigned()
        {
            lock (_signal)
            {
                while (_assigned is null && !_exit)
                {
                    Monitor.Wait(_signal);
                }

                var batch = _assigned;
                _assigned = null;
                return batch;
            }
        }
    }
}
