using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using HealthAI.Tokenizer.WordPiece.Unicode;
using HealthAI.Tokenizer.WordPiece.Vocabulary;

namespace HealthAI.Tokenizer.WordPiece;

public sealed partial class WordPieceTokenizer
{
    // A word is buffered only up to MaxInputCharsPerWord + 1 code points (longer words become [UNK] whatever follows), two UTF-16
    // units each at most.
    private int WordBufferLength => (2 * (Vocabulary.MaxInputCharsPerWord + 1)) + 8;

    private void Run<T>(ref PieceEncoder<T> encoder, ReadOnlySpan<char> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        var recognizeSpecial = _specialTokens.Length != 0;
        var i = 0;
        while (i < text.Length && !encoder.Truncated)
        {
            var c = text[i];
            int codePoint;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                i += 2;
            }
            else
            {
                // A lone surrogate stays in D800-DFFF, which the table removes (Rust would have received U+FFFD and dropped it).
                codePoint = c;
                i++;
                if (c == '[' && recognizeSpecial && TryMatchSpecial(text[(i - 1)..], out var specialId, out var specialLength))
                {
                    encoder.FlushWord();
                    encoder.Emit(specialId);
                    i += specialLength - 1;
                    continue;
                }
            }

            switch (CharacterTable.GetKind(codePoint, out var mapIndex))
            {
                case NormalizationKind.Identity:
                    encoder.AddNormalized(codePoint);
                    break;
                case NormalizationKind.Remove:
                    break;
                case NormalizationKind.Space:
                    encoder.FlushWord();
                    break;
                case NormalizationKind.Cjk:
                    encoder.FlushWord();
                    encoder.EmitSingle(codePoint);
                    break;
                case NormalizationKind.Hangul:
                    AddHangul(ref encoder, codePoint);
                    break;
                default:
                    var mapped = CharacterTable.GetMapped(mapIndex);
                    for (var m = 0; m < mapped.Length; m++)
                    {
                        var mappedPoint = (int)mapped[m];
                        if (char.IsHighSurrogate(mapped[m]))
                        {
                            mappedPoint = char.ConvertToUtf32(mapped[m], mapped[m + 1]);
                            m++;
                        }

                        encoder.AddNormalized(mappedPoint);
                    }

                    break;
            }
        }

        encoder.FlushWord();
    }

    // NFD of a precomposed Hangul syllable (Unicode 3.12): leading consonant, vowel and an optional trailing consonant.
    private static void AddHangul<T>(ref PieceEncoder<T> encoder, int syllable)
        where T : unmanaged, IBinaryInteger<T>
    {
        var index = syllable - 0xAC00;
        encoder.AddNormalized(0x1100 + (index / 588));
        encoder.AddNormalized(0x1161 + (index % 588 / 28));
        if (index % 28 != 0)
        {
            encoder.AddNormalized(0x11A7 + (index % 28));
        }
    }

    private bool TryMatchSpecial(ReadOnlySpan<char> text, out int id, out int length)
    {
        foreach (var (token, tokenId) in _specialTokens)
        {
            if (text.StartsWith(token, StringComparison.Ordinal))
            {
                id = tokenId;
                length = token.Length;
                return true;
            }
        }

        id = 0;
        length = 0;
        return false;
    }

    /// <summary>Pre-tokenizes normalized code points into words and runs WordPiece on each word, writing ids as it goes.</summary>
    private ref struct PieceEncoder<T>
        where T : unmanaged, IBinaryInteger<T>
    {
        private readonly WordPieceVocabulary _vocabulary;
        private readonly Span<T> _output;
        private readonly Span<char> _word;
        private readonly Span<int> _wordPieces;
        private int _wordLength;
        private int _wordCodePoints;

        public PieceEncoder(WordPieceVocabulary vocabulary, Span<T> output, Span<char> word, Span<int> wordPieces)
        {
            _vocabulary = vocabulary;
            _output = output;
            _word = word;
            _wordPieces = wordPieces;
        }

        public int Count { get; private set; }

        public bool Truncated { get; private set; }

        public bool CountOnly { get; init; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddNormalized(int codePoint)
        {
            if (CharacterTable.IsWhitespace(codePoint))
            {
                FlushWord();
            }
            else if (CharacterTable.IsPunctuation(codePoint))
            {
                FlushWord();
                EmitSingle(codePoint);
            }
            else
            {
                // Past the limit the word is [UNK] whatever else it holds: count its code points, stop storing them.
                if (++_wordCodePoints <= _vocabulary.MaxInputCharsPerWord)
                {
                    if (codePoint < 0x10000)
                    {
                        _word[_wordLength++] = (char)codePoint;
                    }
                    else
                    {
                        _word[_wordLength++] = (char)(((codePoint - 0x10000) >> 10) + 0xD800);
                        _word[_wordLength++] = (char)(((codePoint - 0x10000) & 0x3FF) + 0xDC00);
                    }
                }
            }
        }

        public void EmitSingle(int codePoint)
        {
            Span<char> single = stackalloc char[2];
            var length = new Rune(codePoint).EncodeToUtf16(single);
            Emit(_vocabulary.TryGetId(single[..length], continuation: false, out var id) ? id : _vocabulary.UnknownId);
        }

        public void FlushWord()
        {
            if (_wordCodePoints == 0)
            {
                return;
            }

            var tooLong = _wordCodePoints > _vocabulary.MaxInputCharsPerWord;
            var word = _word[.._wordLength];
            _wordLength = 0;
            _wordCodePoints = 0;
            if (tooLong)
            {
                Emit(_vocabulary.UnknownId);
                return;
            }

            var pieceCount = 0;
            var start = 0;
            while (start < word.Length)
            {
                var continuation = start > 0;
                var end = Math.Min(word.Length, start + (continuation ? _vocabulary.MaxContinuationLength : _vocabulary.MaxWordStartLength));
                if (end < word.Length && char.IsLowSurrogate(word[end]))
                {
                    end--; // never split a surrogate pair
                }

                var found = false;
                var id = 0;
                while (end > start)
                {
                    if (_vocabulary.TryGetId(word[start..end], continuation, out id))
                    {
                        found = true;
                        break;
                    }

                    end -= end - start >= 2 && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
                }

                if (!found)
                {
                    // Any piece that fails to match turns the whole word into one [UNK].
                    Emit(_vocabulary.UnknownId);
                    return;
                }

                _wordPieces[pieceCount++] = id;
                start = end;
            }

            for (var p = 0; p < pieceCount && !Truncated; p++)
            {
                Emit(_wordPieces[p]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Emit(int id)
        {
            if (CountOnly)
            {
                Count++;
            }
            else if (Count < _output.Length)
            {
                _output[Count++] = T.CreateTruncating(id);
            }
            else
            {
                Truncated = true;
            }
        }
    }
}
