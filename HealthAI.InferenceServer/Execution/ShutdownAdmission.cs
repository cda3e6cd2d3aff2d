using HealthAI.ServiceDefaults.Health;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Execution;

/// <summary>
/// Whether new inference is still admitted while the server shuts down. Readiness drops the moment SIGTERM arrives, but for the
/// drain delay (<c>HealthAI:Shutdown:DrainDelay</c>) the server keeps serving: load balancers and clients are still catching up
/// with the readiness change, and refusing them would turn the delay meant to hide the shutdown into a burst of 503s. Once the
/// delay has passed (at once when there is none) Kestrel is stopping, and whatever still arrives gets 503.
/// </summary>
public sealed class ShutdownAdmission
{
    private readonly ShutdownState _shutdown;
    private readonly TimeSpan _drainDelay;
    private readonly TimeProvider _timeProvider;
    private long _stoppingSince;

    public ShutdownAdmission(ShutdownState shutdown, IOptions<DrainOptions> drain, IHostApplicationLifetime lifetime, TimeProvider timeProvider)
    {
        _shutdown = shutdown;
        _drainDelay = drain.Value.DrainDelay;
        _timeProvider = timeProvider;
        // ApplicationStopping fires just before the drain delay begins; a registration made after it fires runs at once.
        lifetime.ApplicationStopping.Register(() => Interlocked.CompareExchange(ref _stoppingSince, timeProvider.GetTimestamp(), 0));
    }

    /// <summary>True once shutdown has begun and its drain delay has passed.</summary>
    public bool RefusesNewInference
    {
        get
        {
            if (!_shutdown.IsDraining)
            {
                return false;
            }

            if (_drainDelay <= TimeSpan.Zero)
            {
                return true;
            }

            var since = Interlocked.Read(ref _stoppingSince);
            return since != 0 && _timeProvider.GetElapsedTime(since) >= _drainDelay;
        }
    }
}
