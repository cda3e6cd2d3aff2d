namespace HealthAI.ModelBuilder.DistilBert;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its specification, so generated weights are the same bytes on every
/// runtime and machine (System.Random's seeded sequence is an implementation detail).
/// </summary>
internal sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-1, 1), from the top 24 bits so every value is exact in float32.</summary>
    public float NextSymmetric() => ((NextUInt64() >> 40) / (float)(1 << 23)) - 1f;

    /// <summary>Fills with uniform values in [-scale, scale): the spread BERT's N(0, 0.02) initialisation gives, without a normal sampler.</summary>
    public void Fill(Span<float> values, float scale)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = NextSymmetric() * scale;
        }
    }
}
