using System.Globalization;

namespace HealthAI.Benchmarks.InferenceServer;

/// <summary>
/// Samples the thread pool every millisecond on a thread of its own during a server iteration: the most work items ever
/// waiting and the most pool threads. A pool thread blocked in a model run while the clients' continuations and Kestrel
/// queue up shows as a waiting backlog and as threads injected one by one.
/// </summary>
internal sealed class ThreadPoolSampler
{
    private readonly Thread _thread;
    private readonly int _threadsAtStart = ThreadPool.ThreadCount;
    private volatile bool _stop;
    private long _maxPending;
    private int _maxThreads;
    private long _pendingSum;
    private int _samples;

    private ThreadPoolSampler()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "threadpool-sampler" };
    }

    public static ThreadPoolSampler Start()
    {
        var sampler = new ThreadPoolSampler();
        sampler._thread.Start();
        return sampler;
    }

    public string Stop()
    {
        _stop = true;
        _thread.Join();
        var mean = _samples == 0 ? 0 : (double)_pendingSum / _samples;
        return string.Create(CultureInfo.InvariantCulture,
            $"pool threads {_threadsAtStart}->{ThreadPool.ThreadCount} (max {_maxThreads}), pending work items max {_maxPending} mean {mean:F1}");
    }

    private void Sample()
    {
        while (!_stop)
        {
            var pending = ThreadPool.PendingWorkItemCount;
            _maxPending = Math.Max(_maxPending, pending);
            _maxThreads = Math.Max(_maxThreads, ThreadPool.ThreadCount);
            _pendingSum += pending;
            _samples++;
            Thread.Sleep(1);
        }
    }
}
