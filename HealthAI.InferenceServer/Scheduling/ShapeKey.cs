using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>
/// The shapes of a request's inputs without the batch dimension. Two requests may share a batch only when these are equal
/// (Triton's enforce_equal_shape_tensors for inputs with variable dimensions).
/// </summary>
public sealed class ShapeKey : IEquatable<ShapeKey>
{
    private readonly long[] _dims;
    private readonly int _hash;

    private ShapeKey(long[] dims)
    {
        _dims = dims;
        var hash = new HashCode();
        foreach (var d in dims)
        {
            hash.Add(d);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>Builds the key from inputs in model order; <paramref name="batched"/> drops dimension 0.</summary>
    public static ShapeKey From(IReadOnlyList<InferTensor> inputs, bool batched)
    {
        var dims = new List<long>();
        foreach (var input in inputs)
        {
            var shape = batched ? input.Shape.AsSpan(1) : input.Shape.AsSpan();
            dims.Add(-shape.Length - 1); // rank marker keeps [a][b,c] and [a,b][c] apart
            foreach (var d in shape)
            {
                dims.Add(d);
            }
        }

        return new ShapeKey([.. dims]);
    }

    /// <summary>A key for tests and for callers that only have one input's shape.</summary>
    public static ShapeKey Of(params long[] dims) => new(dims);

    public bool Equals(ShapeKey? other) => other is not null && _hash == other._hash && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as ShapeKey);

    public override int GetHashCode() => _hash;
}
