using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HealthAI.Gateway.Audit;

/// <summary>
/// The hash chain. A line is the record's JSON with <c>,"hash":"&lt;hex&gt;"}</c> appended in place of its closing brace, where
/// the hash is SHA-256 over the exact UTF-8 bytes of the record JSON (which holds <c>prev</c>, the previous line's hash). The
/// verifier therefore needs no canonical form: it strips the suffix and hashes the bytes as written.
/// </summary>
public static class AuditChain
{
    /// <summary>The <c>prev</c> of the first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private const string HashPrefix = ",\"hash\":\"";

    // ,"hash":" + 64 hex + "}
    private const int SuffixLength = 9 + 64 + 2;

    /// <summary>Seals one record: returns the line to write (without newline) and its hash.</summary>
    public static (string Line, string Hash) Seal(AuditRecord record)
    {
        var line = new ArrayBufferWriter<byte>(512);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hash = Seal(record, new ArrayBufferWriter<byte>(512), line, sha256);
        return (Encoding.UTF8.GetString(line.WrittenSpan[..^1]), hash);
    }

    /// <summary>
    /// Seals one record into <paramref name="output"/> as UTF-8, newline included, and returns its hash. The record JSON is
    /// written once into <paramref name="scratch"/> (reset first) by <see cref="AuditRecordWriter"/>, hashed in place and copied
    /// out: no intermediate strings, so the audit writer's cost per record is one serialization and one SHA-256. The writer's
    /// own <paramref name="sha256"/> is reused: a one-shot hash looks the algorithm up in OpenSSL on every call.
    /// </summary>
    internal static string Seal(AuditRecord record, ArrayBufferWriter<byte> scratch, IBufferWriter<byte> output, IncrementalHash sha256)
    {
        scratch.ResetWrittenCount();
        AuditRecordWriter.Write(record, scratch);
        var recordJson = scratch.WrittenSpan;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.AppendData(recordJson);
        sha256.GetHashAndReset(digest);

        var line = output.GetSpan(recordJson.Length + SuffixLength + 1);
        recordJson[..^1].CopyTo(line);
        var position = recordJson.Length - 1;
        position += Encoding.ASCII.GetBytes(HashPrefix, line[position..]);
        Convert.TryToHexStringLower(digest, line[position..], out var hexLength);
        var hashBytes = line.Slice(position, hexLength);
        position += hexLength;
        "\"}\n"u8.CopyTo(line[position..]);
        output.Advance(position + 3);
        return Encoding.ASCII.GetString(hashBytes);
    }

    /// <summary>Splits a line into the hashed record JSON and the hash it claims; false when the line is not a sealed record.</summary>
    public static bool TryOpen(string line, out string recordJson, out string claimedHash)
    {
        recordJson = claimedHash = "";
        if (line.Length <= SuffixLength || !line.EndsWith("\"}", StringComparison.Ordinal))
        {
            return false;
        }

        var suffixStart = line.Length - SuffixLength;
        if (string.CompareOrdinal(line, suffixStart, HashPrefix, 0, HashPrefix.Length) != 0)
        {
            return false;
        }

        claimedHash = line.Substring(suffixStart + HashPrefix.Length, 64);
        recordJson = string.Concat(line.AsSpan(0, suffixStart), "}");
        return true;
    }

    /// <summary>SHA-256 (lower-case hex) of the record JSON as written.</summary>
    public static string Hash(string recordJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recordJson)));

    /// <summary>
    /// Checks every line of <paramref name="reader"/>: each must be a sealed record whose hash matches its bytes, whose
    /// <c>prev</c> is the previous line's hash and whose <c>seq</c> follows the previous one. Stops at the first problem and says
    /// which line and what kind (altered, deleted, reordered, unreadable).
    /// </summary>
    /// <param name="reader">The audit file.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <param name="anchorHash">
    /// The hash of the record before the file's first line, for a file that continues a chain kept elsewhere (an archived
    /// head, say). Without it the file must start the chain: its first record is number 1 and links to the genesis hash, so
    /// records deleted from the start are found too.
    /// </param>
    public static async Task<AuditVerification> VerifyAsync(TextReader reader, CancellationToken cancellationToken, string? anchorHash = null)
    {
        var previousHash = anchorHash ?? GenesisHash;
        long previousSequence = 0;
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                return AuditVerification.Fail(lineNumber, "empty line: a record was blanked out");
            }

            if (!TryOpen(line, out var recordJson, out var claimedHash))
            {
                return AuditVerification.Fail(lineNumber, "not a sealed audit record (hash missing or line truncated)");
            }

            if (!string.Equals(Hash(recordJson), claimedHash, StringComparison.Ordinal))
            {
                return AuditVerification.Fail(lineNumber, "record altered: its content does not match its hash");
            }

            long sequence;
            string prev;
            try
            {
                using var document = JsonDocument.Parse(recordJson);
                sequence = document.RootElement.GetProperty("seq").GetInt64();
                prev = document.RootElement.GetProperty("prev").GetString() ?? "";
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return AuditVerification.Fail(lineNumber, "record unreadable: 'seq' or 'prev' missing");
            }

            // Every link must hold, the first line's too: to the genesis (record 1) or to the given anchor.
            if (lineNumber == 1 && anchorHash is null && sequence != 1)
            {
                return AuditVerification.Fail(lineNumber, $"{sequence - 1} record(s) deleted from the start (the file begins at sequence {sequence})");
            }

            if (lineNumber > 1 && sequence != previousSequence + 1)
            {
                var gap = sequence - previousSequence - 1;
                return AuditVerification.Fail(lineNumber, gap > 0
                    ? $"{gap} record(s) deleted before this line (sequence jumps from {previousSequence} to {sequence})"
                    : $"records reordered or duplicated (sequence {sequence} after {previousSequence})");
            }

            if (!string.Equals(prev, previousHash, StringComparison.Ordinal))
            {
                return AuditVerification.Fail(lineNumber, lineNumber == 1
                    ? anchorHash is null ? "the first record does not start the chain" : "the first record does not follow the anchor"
                    : "chain broken: 'prev' does not match the previous line's hash (a record was replaced or removed)");
            }

            previousHash = claimedHash;
            previousSequence = sequence;
        }

        return AuditVerification.Ok(lineNumber, previousSequence, previousHash);
    }
}

/// <summary>The result of <see cref="AuditChain.VerifyAsync"/>.</summary>
/// <param name="IsValid">True when every line checked out.</param>
/// <param name="Line">The failing line (1-based), or the number of lines read when valid.</param>
/// <param name="Problem">What is wrong at <paramref name="Line"/>; empty when valid.</param>
/// <param name="LastSequence">The last record's sequence number when valid.</param>
/// <param name="LastHash">The last record's hash when valid (the anchor to store elsewhere).</param>
public sealed record AuditVerification(bool IsValid, int Line, string Problem, long LastSequence, string LastHash)
{
    internal static AuditVerification Ok(int lines, long lastSequence, string lastHash) => new(true, lines, "", lastSequence, lastHash);

    internal static AuditVerification Fail(int line, string problem) => new(false, line, problem, 0, "");
}
