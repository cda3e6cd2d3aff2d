[assembly: AssemblyFixture(typeof(HealthAI.AppHost.Tests.TemporaryFolderCleanup))]

namespace HealthAI.AppHost.Tests;

/// <summary>Deletes the run's temporary folders (published manifests, stand-in repository trees, secret stores) after the last test.</summary>
public sealed class TemporaryFolderCleanup : IDisposable
{
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(TestPaths.RunDirectory))
            {
                Directory.Delete(TestPaths.RunDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // best effort: the next run uses a folder of its own
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
