using System.Collections.Concurrent;

namespace HealthAI.Gateway.Authentication;

/// <summary>
/// What was worked out for bearer tokens that were accepted, keyed by the whole raw token, each entry usable until its token
/// expires (plus the clock skew the check allowed) and for at most a maximum age. Bounded: when full, expired entries are
/// pruned, and if it is still full of live ones a new token is simply not remembered rather than a busy client's evicted.
/// Used by the validated-token cache and by the connection-level forwarder's admissions, which remember the same tokens for
/// the same time.
/// </summary>
internal sealed class AcceptedTokenMap<TEntry>(TimeSpan maxEntryAge, int maxEntries) where TEntry : class
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public int Count => _slots.Count;

    /// <summary>How long a token accepted now may be remembered: null <paramref name="validTo"/> (no expiry) means not at all.</summary>
    public DateTimeOffset UsableUntil(DateTimeOffset? validTo, TimeSpan clockSkew, DateTimeOffset now)
    {
        var expires = validTo is { } to ? to + clockSkew : now;
        return expires < now + maxEntryAge ? expires : now + maxEntryAge;
    }

    public bool TryGet(string token, DateTimeOffset now, out TEntry entry) =>
        Usable(_slots.TryGetValue(token, out var slot) ? slot : null, token, now, out entry);

    public bool TryGet(ReadOnlySpan<char> token, DateTimeOffset now, out TEntry entry)
    {
        var lookup = _slots.GetAlternateLookup<ReadOnlySpan<char>>();
        return Usable(lookup.TryGetValue(token, out var key, out var slot) ? slot : null, key, now, out entry);
    }

    public void Remember(string token, TEntry entry, DateTimeOffset usableUntil, DateTimeOffset now)
    {
        if (usableUntil <= now)
        {
            return;
        }

        if (_slots.Count >= maxEntries)
        {
            foreach (var (key, slot) in _slots)
            {
                if (slot.UsableUntil <= now)
                {
                    _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                }
            }

            if (_slots.Count >= maxEntries)
            {
                return;
            }
        }

        _slots[token] = new Slot(entry, usableUntil);
    }

    // A stale entry is dropped on sight, so the next acceptance of the same token replaces it.
    private bool Usable(Slot? slot, string? token, DateTimeOffset now, out TEntry entry)
    {
        entry = null!;
        if (slot is null)
        {
            return false;
        }

        if (now < slot.UsableUntil)
        {
            entry = slot.Entry;
            return true;
        }

        _slots.TryRemove(new KeyValuePair<string, Slot>(token!, slot));
        return false;
    }

    private sealed record Slot(TEntry Entry, DateTimeOffset UsableUntil);
}
