using System.Text;
using HealthAI.Gateway.ConnectionForwarding;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>Test text as wire bytes: Latin-1, so "\u0080".."\u00FF" in a test string is exactly one byte 0x80..0xFF.</summary>
internal static class Wire
{
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>A whole <c>POST /v1/deidentify</c> request with a bearer token and a JSON body, as a client writes it.</summary>
    public static string DeidentifyRequest(string token, string body) =>
        $"POST /v1/deidentify HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";

    /// <summary>The slice's text, or null when the header was absent.</summary>
    public static string? Text(byte[] buffer, HeadSlice slice) => slice.IsPresent ? Text(slice.Of(buffer)) : null;
}
