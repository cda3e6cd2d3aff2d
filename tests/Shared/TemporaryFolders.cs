namespace HealthAI.Tests.Shared;

/// <summary>Clean-up of the folders tests make under the temporary folder.</summary>
public static class TemporaryFolders
{
    /// <summary>
    /// Deletes <paramref name="path"/> and what it holds, symbolic links as links (not what they point to), as far as it can:
    /// a process that did not stop may still hold a file, and clean-up must not turn a passing run into a failing one. Each
    /// run uses folders of its own, so what is left does not disturb the next.
    /// </summary>
    public static void DeleteQuietly(string? path)
    {
        try
        {
            if (path is not null && Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
