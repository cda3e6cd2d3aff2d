namespace HealthAI.Gateway.Audit;

/// <summary>What handlers add to the current request's audit record: entity counts by type (never the entities).</summary>
public sealed class AuditFeature
{
    private readonly Lock _gate = new();
    private Dictionary<string, int>? _entities;

    /// <summary>Entity counts by type so far, or null when none were found.</summary>
    public IReadOnlyDictionary<string, int>? Entities => _entities;

    /// <summary>Counts one detected entity of <paramref name="type"/>. Batch items run concurrently, hence the lock.</summary>
    public void CountEntity(string type)
    {
        lock (_gate)
        {
            _entities ??= new Dictionary<string, int>(StringComparer.Ordinal);
            _entities[type] = _entities.GetValueOrDefault(type) + 1;
        }
    }
}
