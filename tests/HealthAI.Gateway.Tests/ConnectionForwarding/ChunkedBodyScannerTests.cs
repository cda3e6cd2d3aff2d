using System.Buffers;
using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>The end of a chunked body, found whole, byte by byte and across every split; broken framing refused.</summary>
public sealed class ChunkedBodyScannerTests
{
    // What follows the body on the connection: the next response, which must not be counted as body.
    private const string Next = "HTTP/1.1 200 OK\r\n\r\n";

    public static TheoryData<string> Bodies => new()
    {
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0;last=\"y\"\r\nX-Checksum: abc\r\nX-Other:\tv \u00e9\r\n\r\n",
        "1a\r\nabcdefghijklmnopqrstuvwxyz\r\n1A\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n000\r\n\r\n",
        // Framing look-alikes inside chunk data are data.
        "c\r\n0\r\n\r\nGET / H\r\n0\r\n\r\n",
        "3\r\n\r\n\n\r\n1\r\n\u0000\r\n0\r\nX-Empty:\r\n\r\n",
        "00000000000000f\r\n" + "0123456789abcde" + "\r\n0\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void WholeBody_IsDone_AndStopsBeforeTheNextMessage(string body)
    {
        var scanner = new ChunkedBodyScanner();

        Assert.Equal(OperationStatus.Done, scanner.Scan(Bytes(body + Next), out var consumed));

        Assert.Equal(body.Length, consumed);
        // Once done, the scanner takes nothing more.
        Assert.Equal(OperationStatus.Done, scanner.Scan(Bytes(Next), out consumed));
        Assert.Equal(0, consumed);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ByteByByte_EveryByteButTheLastNeedsMore(string body)
    {
        var bytes = Bytes(body);
        var scanner = new ChunkedBodyScanner();

        for (var i = 0; i < bytes.Length - 1; i++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, scanner.Scan(bytes.AsSpan(i, 1), out var consumed));
            Assert.Equal(1, consumed);
        }

        Assert.Equal(OperationStatus.Done, scanner.Scan(bytes.AsSpan(bytes.Length - 1, 1), out var last));
        Assert.Equal(1, last);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void SplitAtEveryOffset_FindsTheSameEnd(string body)
    {
        var bytes = Bytes(body + Next);

        for (var split = 0; split < body.Length; split++)
        {
            var scanner = new ChunkedBodyScanner();
            Assert.Equal(OperationStatus.NeedMoreData, scanner.Scan(bytes.AsSpan(0, split), out var first));
            Assert.Equal(split, first);
            Assert.Equal(OperationStatus.Done, scanner.Scan(bytes.AsSpan(split), out var second));
            Assert.Equal(body.Length - split, second);
        }
    }

    [Theory]
    // Chunk size line.
    [InlineData("\r\n", 0)]
    [InlineData("g\r\n", 0)]
    [InlineData("-1\r\n", 0)]
    [InlineData("+1\r\n", 0)]
    [InlineData(" 5\r\nhello\r\n", 0)]
    [InlineData("0x5\r\nhello\r\n", 1)]
    [InlineData("5 \r\nhello\r\n", 1)]
    [InlineData("5\nhello\r\n", 1)]
    [InlineData("5\r\rhello\r\n", 2)]
    [InlineData("5\r\n" + "hello" + "\n0\r\n\r\n", 8)]
    [InlineData("5\r\n" + "hello0\r\n\r\n", 8)]
    [InlineData("5\r\n" + "hello\r\r", 9)]
    [InlineData("1000000000000000\r\n", 15)]
    // Extensions.
    [InlineData("5;a\nb\r\nhello\r\n", 3)]
    [InlineData("5;a\u0001\r\nhello\r\n", 3)]
    [InlineData("5;\u00e9\r\nhello\r\n", 2)]
    // Trailer section.
    [InlineData("0\r\n\n", 3)]
    [InlineData("0\r\n\r\r", 4)]
    [InlineData("0\r\n X: a\r\n\r\n", 3)]
    [InlineData("0\r\n: a\r\n\r\n", 3)]
    [InlineData("0\r\nX a\r\n\r\n", 4)]
    [InlineData("0\r\nX: a\nY: b\r\n\r\n", 7)]
    [InlineData("0\r\nX: a\u0000\r\n\r\n", 7)]
    [InlineData("0\r\nX: a\r\n\tb\r\n\r\n", 9)]
    public void BrokenFraming_IsInvalidData_AtTheSameByteWhateverTheSplit(string data, int offset)
    {
        var bytes = Bytes(data);
        var whole = new ChunkedBodyScanner();

        Assert.Equal(OperationStatus.InvalidData, whole.Scan(bytes, out var consumed));
        Assert.Equal(offset, consumed);
        // Broken stays broken.
        Assert.Equal(OperationStatus.InvalidData, whole.Scan("0\r\n\r\n"u8, out _));

        var byByte = new ChunkedBodyScanner();
        for (var i = 0; i < offset; i++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, byByte.Scan(bytes.AsSpan(i, 1), out _));
        }

        Assert.Equal(OperationStatus.InvalidData, byByte.Scan(bytes.AsSpan(offset, 1), out consumed));
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("0\r\n\r\n", 0, false)]
    [InlineData("5\r\nhello\r\n0\r\n\r\n", 5, false)]
    [InlineData("5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Checksum: abc\r\n\r\n", 15, true)]
    [InlineData("1a\r\nabcdefghijklmnopqrstuvwxyz\r\n1A\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n0\r\nX-Empty:\r\n\r\n", 52, true)]
    public void DataBytesAndTrailerFields_AreCounted_WhateverTheSplit(string body, long dataBytes, bool trailers)
    {
        var input = Bytes(body + Next);
        for (var split = 0; split <= body.Length; split++)
        {
            var scanner = new ChunkedBodyScanner();
            scanner.Scan(input.AsSpan(0, split), out var first);
            scanner.Scan(input.AsSpan(first), out _);

            Assert.Equal(dataBytes, scanner.DataBytes);
            Assert.Equal(trailers, scanner.HasTrailerFields);
        }
    }

    [Fact]
    public void ExtensionOf256Bytes_IsAccepted_And257IsNot()
    {
        var longest = "1;" + new string('x', ChunkedBodyScanner.MaxExtensionBytes - 1) + "\r\na\r\n0\r\n\r\n";
        var tooLong = "1;" + new string('x', ChunkedBodyScanner.MaxExtensionBytes) + "\r\na\r\n0\r\n\r\n";

        Assert.Equal(OperationStatus.Done, new ChunkedBodyScanner().Scan(Bytes(longest), out var consumed));
        Assert.Equal(longest.Length, consumed);
        Assert.Equal(OperationStatus.InvalidData, new ChunkedBodyScanner().Scan(Bytes(tooLong), out consumed));
        Assert.Equal(1 + ChunkedBodyScanner.MaxExtensionBytes, consumed);
    }

    [Fact]
    public void TrailerOf8KiB_IsAccepted_AndOneByteMoreIsNot()
    {
        // One trailer line of exactly MaxTrailerBytes including its CRLF.
        var line = "X: " + new string('v', ChunkedBodyScanner.MaxTrailerBytes - 5) + "\r\n";
        var longest = "0\r\n" + line + "\r\n";
        var tooLong = "0\r\n" + line.Insert(3, "v") + "\r\n";

        Assert.Equal(OperationStatus.Done, new ChunkedBodyScanner().Scan(Bytes(longest), out var consumed));
        Assert.Equal(longest.Length, consumed);
        Assert.Equal(OperationStatus.InvalidData, new ChunkedBodyScanner().Scan(Bytes(tooLong), out consumed));
        Assert.Equal(3 + ChunkedBodyScanner.MaxTrailerBytes, consumed);
    }

    [Fact]
    public void LargestChunkSize_IsTracked_WithoutOverflow()
    {
        var scanner = new ChunkedBodyScanner();

        // 15 hex digits: 2^60 - 1 bytes of data follow; a megabyte of them is still all body.
        Assert.Equal(OperationStatus.NeedMoreData, scanner.Scan("fffffffffffffff\r\n"u8, out var consumed));
        Assert.Equal(17, consumed);
        Assert.Equal(OperationStatus.NeedMoreData, scanner.Scan(new byte[1 << 20], out consumed));
        Assert.Equal(1 << 20, consumed);
    }

    [Fact]
    public void EmptyInput_NeedsMore()
    {
        var scanner = new ChunkedBodyScanner();

        Assert.Equal(OperationStatus.NeedMoreData, scanner.Scan([], out var consumed));
        Assert.Equal(0, consumed);
    }
}
