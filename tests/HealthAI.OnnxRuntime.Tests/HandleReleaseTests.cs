namespace HealthAI.OnnxRuntime.Tests;

[CollectionDefinition(nameof(HandleCountingCollection), DisableParallelization = true)]
public sealed class HandleCountingCollection;

/// <summary>
/// Loops of runs, failures and sessions leave no native object behind: <see cref="OrtHandleCounts"/> returns to where it
/// started. This collection runs alone so no other test's handles are counted.
/// </summary>
[Collection(nameof(HandleCountingCollection))]
public sealed class HandleReleaseTests(ModelFixture models)
{
    [Fact]
    public void Thousands_of_runs_release_every_value_and_run_option()
    {
        using var session = new InferenceSession(models.TinyModelPath, new SessionOptions { IntraOpNumThreads = 1 });
        using var cancellation = new CancellationTokenSource();
        var ids = new long[8 * 16];
        var mask = new long[8 * 16];
        Array.Fill(ids, 2023);
        Array.Fill(mask, 1);
        Run(session, ids, mask, 1, 16, CancellationToken.None); // warm up lazily created process-wide objects
        var before = Snapshot();

        for (var i = 0; i < 3000; i++)
        {
            var batch = 1 + (i % 8);
            var token = i % 2 == 0 ? cancellation.Token : CancellationToken.None; // half the runs make run options
            var logits = Run(session, ids, mask, batch, 16, token);
            Assert.Equal(batch * 2, logits.Length);
        }

        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Failed_runs_release_their_status_and_values()
    {
        using var session = new InferenceSession(models.TinyModelPath);
        long[] ids = [101, 102];
        var before = Snapshot();
        var statusesBefore = OrtHandleCounts.ErrorStatusesReleased;

        for (var i = 0; i < 1000; i++)
        {
            Assert.Throws<OnnxRuntimeInvalidArgumentException>(() => session.Run(
                [TensorInput.FromInt64("input_ids", ids, 1, 2), TensorInput.FromInt64("not_an_input", ids, 1, 2)], TestContext.Current.CancellationToken));
        }

        Assert.Equal(before, Snapshot());
        Assert.Equal(1000, OrtHandleCounts.ErrorStatusesReleased - statusesBefore);
    }

    [Fact]
    public void Creating_and_disposing_sessions_releases_sessions_options_type_infos_and_files()
    {
        using (new InferenceSession(models.TinyModelPath))
        {
        }

        var before = Snapshot();
        var descriptorsBefore = OpenFileDescriptors();
        for (var i = 0; i < 40; i++)
        {
            using var session = new InferenceSession(models.TinyModelPath, new SessionOptions { IntraOpNumThreads = 1 });
            Assert.Equal(1, OrtHandleCounts.Get(OrtHandleKind.Session) - before[(int)OrtHandleKind.Session]);
        }

        Assert.Equal(before, Snapshot());
        if (descriptorsBefore >= 0)
        {
            Assert.InRange(OpenFileDescriptors(), 0, descriptorsBefore + 2);
        }
    }

    [Fact]
    public async Task Concurrent_runs_on_one_session_agree_and_leave_nothing_behind()
    {
        using var session = new InferenceSession(models.TinyModelPath, new SessionOptions { IntraOpNumThreads = 1 });
        var ids = new long[4 * 12];
        var mask = new long[4 * 12];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = 1000 + (i * 37 % 20000);
            mask[i] = i % 12 < 9 ? 1 : 0;
        }

        var expected = Run(session, ids, mask, 4, 12, CancellationToken.None);
        var before = Snapshot();

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal(expected, Run(session, ids, mask, 4, 12, CancellationToken.None));
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(workers);

        Assert.Equal(before, Snapshot());
    }

    private static float[] Run(InferenceSession session, long[] ids, long[] mask, int batch, int sequence, CancellationToken token) =>
        session.Run(
        [
            TensorInput.FromInt64("input_ids", ids.AsMemory(0, batch * sequence), batch, sequence),
            TensorInput.FromInt64("attention_mask", mask.AsMemory(0, batch * sequence), batch, sequence),
        ], token)[0].ToArray<float>();

    private static long[] Snapshot() => Enum.GetValues<OrtHandleKind>().Select(OrtHandleCounts.Get).ToArray();

    private static int OpenFileDescriptors() =>
        Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : -1;
}
