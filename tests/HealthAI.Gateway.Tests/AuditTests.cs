using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HealthAI.Gateway.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests;

public sealed class AuditTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string CanaryName = "Ottoline Vexbridge";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string[]> ProduceTrailAsync()
    {
        fixture.ResetFakes();
        var client = fixture.App.CreateClient(TestTokens.Create(subject: "audit-client"));
        await client.PostAsJsonAsync("/v1/notes/analyze", new { text = $"{CanaryName} 123-45-6789 feels good. {CanaryName}.", patient = new { name = CanaryName } }, Ct);
        await fixture.App.CreateClient(token: null).PostAsJsonAsync("/v1/notes/analyze", new { text = "x" }, Ct);
        await fixture.App.CreateClient(TestTokens.Create(scopes: "models.read")).PostAsJsonAsync("/v1/notes/analyze", new { text = "x" }, Ct);
        await client.PostAsJsonAsync("/v1/notes/analyze", new { text = "" }, Ct);
        await client.GetAsync("/v2/models/distilbert-sst2/ready", Ct);
        await fixture.App.Services.GetRequiredService<AuditTrail>().FlushAsync(Ct);
        return await File.ReadAllLinesAsync(fixture.App.AuditPath, Ct);
    }

    private static async Task<AuditVerification> VerifyAsync(IEnumerable<string> lines) =>
        await AuditChain.VerifyAsync(new StringReader(string.Join('\n', lines) + "\n"), CancellationToken.None);

    [Fact]
    public async Task EveryRequest_IsOneChainedLine_WithCountsAndNoText()
    {
        var lines = await ProduceTrailAsync();

        Assert.True(lines.Length >= 5);
        var records = lines.Select(l => JsonNode.Parse(l)!).ToArray();
        var analyzed = records.Last(r => (int)r["status"]! == 200 && (string?)r["route"] == "analyze");
        Assert.Equal("audit-client", (string?)analyzed["subject"]);
        Assert.Equal("success", (string?)analyzed["outcome"]);
        Assert.Equal(2, (int)analyzed["entities"]!["NAME"]!);
        Assert.Equal(1, (int)analyzed["entities"]!["SSN"]!);
        // The scope the route used, not every scope the token happens to carry.
        Assert.Equal(["notes.analyze"], analyzed["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Contains(records, r => (string?)r["outcome"] == "unauthenticated" && (int)r["status"]! == 401);
        Assert.Contains(records, r => (string?)r["outcome"] == "forbidden" && (int)r["status"]! == 403);
        Assert.Contains(records, r => (string?)r["outcome"] == "rejected" && (int)r["status"]! == 400);
        Assert.Contains(records, r => (string?)r["route"] == "model-ready" && (int)r["status"]! == 200);
        foreach (var line in lines)
        {
            Assert.DoesNotContain(CanaryName, line, StringComparison.Ordinal);
            Assert.DoesNotContain("123-45-6789", line, StringComparison.Ordinal);
            Assert.DoesNotContain("feels good", line, StringComparison.Ordinal);
        }

        var verdict = await VerifyAsync(lines);
        Assert.True(verdict.IsValid, verdict.Problem);
        Assert.Equal(lines.Length, verdict.Line);
    }

    [Fact]
    public async Task AlteredLine_IsPinpointed()
    {
        var lines = await ProduceTrailAsync();
        var target = lines.Length / 2;
        lines[target] = lines[target].Replace("\"status\":", "\"status\":1", StringComparison.Ordinal);

        var verdict = await VerifyAsync(lines);

        Assert.False(verdict.IsValid);
        Assert.Equal(target + 1, verdict.Line);
        Assert.Contains("altered", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedLine_IsPinpointed()
    {
        var lines = (await ProduceTrailAsync()).ToList();
        var target = lines.Count / 2;
        lines.RemoveAt(target);

        var verdict = await VerifyAsync(lines);

        Assert.False(verdict.IsValid);
        Assert.Equal(target + 1, verdict.Line);
        Assert.Contains("deleted", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinesDeletedFromTheStart_AreFound_UnlessTheFileIsAnchoredWhereItBegins()
    {
        var lines = await ProduceTrailAsync();
        Assert.True(AuditChain.TryOpen(lines[1], out _, out var secondHash));
        var withoutTwo = lines[2..];

        var verdict = await VerifyAsync(withoutTwo);
        var anchored = await AuditChain.VerifyAsync(new StringReader(string.Join('\n', withoutTwo) + "\n"), Ct, anchorHash: secondHash);
        var wrongAnchor = await AuditChain.VerifyAsync(new StringReader(string.Join('\n', withoutTwo) + "\n"), Ct, anchorHash: AuditChain.GenesisHash);

        Assert.False(verdict.IsValid);
        Assert.Equal(1, verdict.Line);
        Assert.Contains("2 record(s) deleted from the start", verdict.Problem, StringComparison.Ordinal);
        Assert.True(anchored.IsValid, anchored.Problem);
        Assert.False(wrongAnchor.IsValid);
        Assert.Contains("anchor", wrongAnchor.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RehashedLine_BreaksTheLinkToTheNext()
    {
        // A forger who edits a record and recomputes its hash still breaks the next record's 'prev'.
        var lines = await ProduceTrailAsync();
        var target = Array.FindIndex(lines, l => l.Contains("\"status\":401", StringComparison.Ordinal));
        Assert.True(target >= 0 && target < lines.Length - 1);
        Assert.True(AuditChain.TryOpen(lines[target], out var json, out _));
        var forged = JsonNode.Parse(json)!;
        forged["status"] = 200;
        forged["outcome"] = "success";
        var record = System.Text.Json.JsonSerializer.Deserialize<AuditRecord>(forged.ToJsonString())!;
        lines[target] = AuditChain.Seal(record).Line;

        var verdict = await VerifyAsync(lines);

        Assert.False(verdict.IsValid);
        Assert.Equal(target + 2, verdict.Line);
        Assert.Contains("chain broken", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCommand_ReportsIntactAndTampered_WithExitCodes()
    {
        var lines = await ProduceTrailAsync();
        var copy = Path.Combine(Path.GetDirectoryName(fixture.App.AuditPath)!, "copy.jsonl");
        await File.WriteAllLinesAsync(copy, lines, Ct);
        var output = new StringWriter();

        Assert.True(AuditCommand.TryRun(["audit", "verify", copy], output, out var intact));
        Assert.Equal(0, intact);
        Assert.StartsWith("OK:", output.ToString(), StringComparison.Ordinal);

        lines[1] = lines[1].Replace("\"method\":\"", "\"method\":\"X", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(copy, lines, Ct);
        output = new StringWriter();
        Assert.True(AuditCommand.TryRun(["audit", "verify", copy], output, out var tampered));
        Assert.Equal(1, tampered);
        Assert.Contains("line 2", output.ToString(), StringComparison.Ordinal);

        // A file that continues a chain kept elsewhere is verified from the hash of the record before its first line.
        Assert.True(AuditChain.TryOpen(lines[0], out _, out var firstHash));
        await File.WriteAllLinesAsync(copy, lines[2..], Ct);
        Assert.True(AuditCommand.TryRun(["audit", "verify", copy], output, out var cut));
        Assert.Equal(1, cut);
        Assert.True(AuditCommand.TryRun(["audit", "verify", copy, "--from", firstHash], output, out var fromWrongAnchor));
        Assert.Equal(1, fromWrongAnchor);
        Assert.True(AuditChain.TryOpen(lines[1], out _, out var secondHash));
        Assert.True(AuditCommand.TryRun(["audit", "verify", copy, "--from", secondHash], output, out var fromAnchor));
        Assert.Equal(0, fromAnchor);

        Assert.False(AuditCommand.TryRun(["--urls", "http://127.0.0.1:0"], output, out _));
        Assert.True(AuditCommand.TryRun(["audit", "verify"], output, out var usage));
        Assert.Equal(2, usage);
    }

    [Fact]
    public async Task ChainResumes_AcrossRestarts()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        for (var run = 0; run < 2; run++)
        {
            await using var app = new GatewayApp(settings) { KeepAuditFile = true };
            await app.CreateClient(TestTokens.Create()).GetAsync("/v2/models/m/ready", Ct);
            await app.Services.GetRequiredService<AuditTrail>().FlushAsync(Ct);
        }

        var path = settings["Gateway:Audit:FilePath"]!;
        var lines = await File.ReadAllLinesAsync(path, Ct);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        var verdict = await VerifyAsync(lines);
        Assert.Equal(2, lines.Length);
        Assert.True(verdict.IsValid, verdict.Problem);
        Assert.Equal(2, verdict.LastSequence);
    }

    [Fact]
    public async Task FullQueue_SlowsRequestsDown_ButLosesNoRecord_AndShutdownWritesTheRest()
    {
        // A queue of one record: concurrent requests must wait for the writer instead of dropping their records, and disposing
        // the host (no explicit flush) must still leave every record on disk, chained.
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["Gateway:Audit:QueueCapacity"] = "1";
        const int Requests = 40;
        await using (var app = new GatewayApp(settings) { KeepAuditFile = true })
        {
            var client = app.CreateClient(TestTokens.Create());
            var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => client.GetAsync("/v2/models/m/ready", Ct)));
            Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        }

        var path = settings["Gateway:Audit:FilePath"]!;
        var lines = await File.ReadAllLinesAsync(path, Ct);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        Assert.Equal(Requests, lines.Length);
        var verdict = await VerifyAsync(lines);
        Assert.True(verdict.IsValid, verdict.Problem);
        Assert.Equal(Requests, verdict.LastSequence);
    }
}
