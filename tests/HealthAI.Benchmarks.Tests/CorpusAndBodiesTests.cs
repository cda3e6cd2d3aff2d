using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthAI.Benchmarks.Load.Corpus;
using HealthAI.Benchmarks.Load.Targets;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.Benchmarks.Tests;

public class CorpusAndBodiesTests
{
    [Fact]
    public void TheCorpusIsDeterministicAndMixesShortMessagesWithLongNotes()
    {
        var corpus = ClinicalTextCorpus.Create(400, seed: 42);

        Assert.Equal(corpus, ClinicalTextCorpus.Create(400, seed: 42));
        Assert.NotEqual(corpus, ClinicalTextCorpus.Create(400, seed: 43));
        var words = corpus.Select(t => t.Split(' ').Length).ToList();
        var shortShare = words.Count(w => w < 60) / (double)words.Count;
        Assert.InRange(shortShare, 0.5, 0.7);
        Assert.InRange(words.Where(w => w < 60).Min(), 10, 60);
        Assert.InRange(words.Max(), 150, 600);
        Assert.True(corpus.Distinct().Count() > 390);
    }

    [Fact]
    public void SyntheticIdsAreFramedPaddedToABucketAndStable()
    {
        var (ids, mask) = SyntheticTokenIds.Encode("Patient reports improved breathing, no chest pain.");

        Assert.Equal(ids.Length, mask.Length);
        Assert.Contains(ids.Length, new[] { 16, 32, 64, 128, 256, 512 });
        Assert.Equal(SyntheticTokenIds.ClsId, ids[0]);
        var used = (int)mask.Sum();
        Assert.Equal(SyntheticTokenIds.SepId, ids[used - 1]);
        Assert.All(ids.Skip(used), id => Assert.Equal(0, id));
        Assert.All(mask.Take(used), m => Assert.Equal(1, m));
        Assert.Equal(ids, SyntheticTokenIds.Encode("Patient reports improved breathing, no chest pain.").InputIds);
    }

    [Fact]
    public void LongTextsAreTruncatedAtTheModelLimit()
    {
        var (ids, mask) = SyntheticTokenIds.Encode(string.Join(' ', Enumerable.Repeat("hypercholesterolemia,", 2000)));
        Assert.Equal(SyntheticTokenIds.MaxLength, ids.Length);
        Assert.Equal(SyntheticTokenIds.MaxLength, mask.Sum());
        Assert.Equal(SyntheticTokenIds.SepId, ids[^1]);
    }

    [Fact]
    public void GrpcBodiesAreFramedModelInferRequests()
    {
        var framed = RequestBodies.KServeGrpc("short note");

        Assert.Equal(0, framed[0]);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(framed.AsSpan(1, 4));
        Assert.Equal(framed.Length - GrpcWire.MessagePrefixLength, (int)length);
        var request = ModelInferRequest.Parser.ParseFrom(framed.AsSpan(GrpcWire.MessagePrefixLength));
        Assert.Equal(RequestBodies.ModelName, request.ModelName);
        Assert.Equal(["input_ids", "attention_mask"], request.Inputs.Select(i => i.Name));
        Assert.All(request.Inputs, i => Assert.Equal([1L, i.Contents.Int64Contents.Count], i.Shape));
        Assert.Equal("logits", Assert.Single(request.Outputs).Name);
    }

    [Fact]
    public void JsonBodiesFollowTheServiceContracts()
    {
        using var analyze = JsonDocument.Parse(RequestBodies.Analyze("a \"quoted\" note"));
        Assert.Equal("a \"quoted\" note", analyze.RootElement.GetProperty("text").GetString());
        Assert.Equal("placeholder", analyze.RootElement.GetProperty("deid").GetProperty("mode").GetString());
        using var tokenize = JsonDocument.Parse(RequestBodies.Tokenize("t"));
        Assert.Equal("t", tokenize.RootElement.GetProperty("texts")[0].GetString());
        using var deid = JsonDocument.Parse(RequestBodies.Deidentify("d"));
        Assert.Equal("d", deid.RootElement.GetProperty("text").GetString());
        using var infer = JsonDocument.Parse(RequestBodies.KServeJson("k"));
        Assert.Equal("INT64", infer.RootElement.GetProperty("inputs")[1].GetProperty("datatype").GetString());
    }

    [Fact]
    public void DevTokensAreHs256SignedWithTheScopeAndLifetime()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        var token = DevJwt.Create(key, "iss-1", "aud-1", DevJwt.AnalyzeScope, TimeSpan.FromMinutes(10), time);

        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expected, System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]));
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal("notes.analyze", payload.RootElement.GetProperty("scp").GetString());
        Assert.Equal("iss-1", payload.RootElement.GetProperty("iss").GetString());
        Assert.Equal("aud-1", payload.RootElement.GetProperty("aud").GetString());
        Assert.Equal(1_700_000_600, payload.RootElement.GetProperty("exp").GetInt64());
        Assert.Throws<ArgumentException>(() => DevJwt.Create(new byte[16], "i", "a", "s", TimeSpan.FromMinutes(1), time));
    }

    [Fact]
    public void ClientTokensCarryDistinctIdsInEveryClaimTheGatewayPartitionsOn()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        var tokens = DevJwt.CreateForClients(3, key, "iss-1", "aud-1", DevJwt.AnalyzeScope, TimeSpan.FromMinutes(10), time);

        var ids = tokens.Select(token =>
        {
            using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]));
            var azp = payload.RootElement.GetProperty("azp").GetString();
            Assert.Equal(azp, payload.RootElement.GetProperty("client_id").GetString());
            Assert.Equal(azp, payload.RootElement.GetProperty("sub").GetString());
            return azp;
        }).ToList();
        Assert.Equal(["healthai-benchmarks-001", "healthai-benchmarks-002", "healthai-benchmarks-003"], ids);
        var single = DevJwt.CreateForClients(1, key, "iss-1", "aud-1", DevJwt.AnalyzeScope, TimeSpan.FromMinutes(10), time);
        using var one = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(single[0].Split('.')[1]));
        Assert.Equal(DevJwt.DefaultClientId, one.RootElement.GetProperty("azp").GetString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
