namespace HealthAI.Gateway.Audit;

/// <summary>The command line of the audit trail: <c>audit verify &lt;file&gt; [--from &lt;hash&gt;]</c>.</summary>
public static class AuditCommand
{
    /// <summary>
    /// Runs the command when <paramref name="args"/> start with <c>audit</c>; returns false otherwise so the host starts.
    /// Exit codes: 0 chain intact, 1 tampering found, 2 usage or file error.
    /// </summary>
    public static bool TryRun(string[] args, TextWriter output, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || !string.Equals(args[0], "audit", StringComparison.Ordinal))
        {
            return false;
        }

        var anchored = args.Length == 5 && string.Equals(args[3], "--from", StringComparison.Ordinal);
        if ((args.Length != 3 && !anchored) || !string.Equals(args[1], "verify", StringComparison.Ordinal))
        {
            // --from: the hash of the record before the file's first line, when the file continues a chain kept elsewhere.
            output.WriteLine("usage: HealthAI.Gateway audit verify <file> [--from <hash of the record before its first line>]");
            exitCode = 2;
            return true;
        }

        exitCode = VerifyAsync(args[2], output, CancellationToken.None, anchored ? args[4] : null).GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Verifies one file and prints the verdict.</summary>
    public static async Task<int> VerifyAsync(string path, TextWriter output, CancellationToken cancellationToken, string? anchorHash = null)
    {
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"audit verify: no such file: {path}");
            return 2;
        }

        using var reader = new StreamReader(path);
        var result = await AuditChain.VerifyAsync(reader, cancellationToken, anchorHash);
        if (result.IsValid)
        {
            await output.WriteLineAsync(
                $"OK: {result.Line} records, chain intact; last seq {result.LastSequence}, last hash {result.LastHash}");
            return 0;
        }

        await output.WriteLineAsync($"TAMPERED: line {result.Line}: {result.Problem}");
        return 1;
    }
}
