namespace HealthAI.Tokenizer.WordPiece;

/// <summary>What to do with special-token text ("[SEP]", "[CLS]", ...) typed inside the input.</summary>
public enum SpecialTokenHandling
{
    /// <summary>
    /// The default: special-token text is ordinary text ("[SEP]" -> "[", "sep", "]"). Clinical notes are user input; letting a note
    /// insert a segment separator or a mask would let its author change the structure the model sees.
    /// </summary>
    TreatAsText = 0,

    /// <summary>
    /// HuggingFace's behaviour for bert-base-uncased: [PAD], [UNK], [CLS], [SEP] and [MASK] written in the raw text are matched
    /// case-sensitively before normalization and become their ids. For parity checks and trusted, pre-formatted input only.
    /// </summary>
    Recognize = 1,
}
