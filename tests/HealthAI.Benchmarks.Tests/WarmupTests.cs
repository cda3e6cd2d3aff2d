namespace HealthAI.Benchmarks.Tests;

public sealed class WarmupTests
{
    [Fact]
    public void CpuTicksAreReadAfterTheThreadNameEvenWhenItHoldsSpacesAndParentheses()
    {
        // Fields 14 (utime) and 15 (stime) are 120 and 35; the name would shift a naive split by three.
        const string stat = "4242 (.NET (Tiered) Com) S 1 4242 4242 0 -1 4194368 1200 0 0 0 120 35 0 0 20 0 31 0 8000 0 0";

        Assert.Equal(155, JitThreadClock.ParseCpuTicks(stat));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (name) S 1 2 3")]
    [InlineData("4242 (name) S 1 4242 4242 0 -1 4194368 1200 0 0 0 x 35 0")]
    public void AStatLineWithoutBothTimesGivesNothing(string stat) => Assert.Null(JitThreadClock.ParseCpuTicks(stat));

    [Fact]
    public void TheCompilerThreadsOfThisProcessAreReadableOnLinux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux's");

        var clock = new JitThreadClock(Environment.ProcessId);

        Assert.NotNull(clock.Sample());
        Assert.True(clock.Sample() >= TimeSpan.Zero);
    }

    [Fact]
    public void AProcessThatIsNotThereCannotBeRead() => Assert.Null(new JitThreadClock(int.MaxValue).Sample());
}
