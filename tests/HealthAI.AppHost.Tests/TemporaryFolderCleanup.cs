[assembly: AssemblyFixture(typeof(HealthAI.AppHost.Tests.TemporaryFolderCleanup))]

namespace HealthAI.AppHost.Tests;

/// <summary>Deletes the run's temporary folders (published manifests, stand-in repository trees, secret stores) after the last test.</summary>
public sealed class TemporaryFolderCleanup : IDisposable
{
    public void Dispose() => TemporaryFolders.DeleteQuietly(TestPaths.RunDirectory);
}
