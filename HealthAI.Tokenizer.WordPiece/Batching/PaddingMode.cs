namespace HealthAI.Tokenizer.WordPiece.Batching;

/// <summary>How the rows of a batch are padded.</summary>
public enum PaddingMode
{
    /// <summary>No padding: each row keeps its own length (see <see cref="TokenizedBatch.Lengths"/>).</summary>
    None = 0,

    /// <summary>Every row padded to the longest row.</summary>
    Longest = 1,

    /// <summary>Every row padded to the length bucket of the longest row (<see cref="LengthBuckets"/>).</summary>
    Bucket = 2,
}
