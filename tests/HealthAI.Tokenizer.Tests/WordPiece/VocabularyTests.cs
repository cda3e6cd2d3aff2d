using HealthAI.Tokenizer.WordPiece.Vocabulary;

namespace HealthAI.Tokenizer.Tests.WordPiece;

public sealed class VocabularyTests
{
    [Fact]
    public void Bert_vocab_has_the_known_special_ids()
    {
        var vocabulary = Vectors.Vocabulary;
        Assert.Equal(30_522, vocabulary.Count);
        Assert.Equal((0, 100, 101, 102, 103), (vocabulary.PadId, vocabulary.UnknownId, vocabulary.ClsId, vocabulary.SepId, vocabulary.MaskId));
        Assert.True(vocabulary.TryGetId("ing", continuation: true, out var id));
        Assert.Equal("##ing", vocabulary.GetToken(id));
    }

    [Fact]
    public void A_wrong_sha256_is_rejected() =>
        Assert.Contains("sha256", Assert.Throws<InvalidDataException>(
            () => WordPieceVocabulary.LoadVocabTxt(Vectors.VocabPath, new string('0', 64))).Message);

    [Fact]
    public void A_missing_file_is_reported() =>
        Assert.Throws<FileNotFoundException>(() => WordPieceVocabulary.LoadVocabTxt("/nonexistent/vocab.txt"));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n", "[SEP]")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[SEP]\na\na\n", "duplicates")]
    [InlineData("[PAD]\n\n[UNK]\n[CLS]\n[SEP]\n", "empty")]
    public void Broken_vocabularies_are_rejected_with_the_reason(string content, string reason) =>
        Assert.Contains(reason, Assert.Throws<InvalidDataException>(() => WordPieceVocabulary.FromVocabTxt(content)).Message);

    [Fact]
    public void Crlf_vocab_is_read_like_lf()
    {
        var vocabulary = WordPieceVocabulary.FromVocabTxt("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n");
        Assert.True(vocabulary.TryGetId("hello", continuation: false, out var id));
        Assert.Equal(4, id);
    }
}
