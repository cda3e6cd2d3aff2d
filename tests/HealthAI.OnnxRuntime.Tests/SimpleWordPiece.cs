namespace HealthAI.OnnxRuntime.Tests;

/// <summary>
/// Just enough of BERT's uncased tokenizer for the tests' English sentences: lower-case, split on whitespace and punctuation,
/// greedy longest-match WordPiece, [CLS] ... [SEP], padded with [PAD] = 0. (The product tokenizer lives in HealthAI.Tokenizer.)
/// </summary>
internal sealed class SimpleWordPiece
{
    private readonly Dictionary<string, int> _ids;

    public SimpleWordPiece(string vocabularyPath)
    {
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(vocabularyPath);
        for (var i = 0; i < lines.Length; i++)
        {
            _ids.TryAdd(lines[i], i);
        }
    }

    public int Id(string token) => _ids[token];

    public List<int> Encode(string text)
    {
        var ids = new List<int> { _ids["[CLS]"] };
        foreach (var word in Words(text.ToLowerInvariant()))
        {
            var start = 0;
            var pieces = new List<int>();
            while (start < word.Length)
            {
                var end = word.Length;
                var found = -1;
                while (end > start)
                {
                    var piece = (start == 0 ? string.Empty : "##") + word[start..end];
                    if (_ids.TryGetValue(piece, out var id))
                    {
                        found = id;
                        break;
                    }

                    end--;
                }

                if (found < 0)
                {
                    pieces = [_ids["[UNK]"]];
                    break;
                }

                pieces.Add(found);
                start = end;
            }

            ids.AddRange(pieces);
        }

        ids.Add(_ids["[SEP]"]);
        return ids;
    }

    /// <summary>Token ids and attention mask for a batch, padded to the longest sequence.</summary>
    public (long[] Ids, long[] Mask, int Sequence) EncodeBatch(IReadOnlyList<string> texts)
    {
        var encoded = texts.Select(Encode).ToList();
        var sequence = encoded.Max(e => e.Count);
        var ids = new long[texts.Count * sequence];
        var mask = new long[texts.Count * sequence];
        for (var b = 0; b < encoded.Count; b++)
        {
            for (var t = 0; t < encoded[b].Count; t++)
            {
                ids[(b * sequence) + t] = encoded[b][t];
                mask[(b * sequence) + t] = 1;
            }
        }

        return (ids, mask, sequence);
    }

    private static IEnumerable<string> Words(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c))
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                if (!char.IsWhiteSpace(c))
                {
                    yield return c.ToString();
                }

                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
