using System.Buffers;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>What <see cref="Http1FieldLineReader.Read"/> found.</summary>
internal enum Http1FieldRead
{
    /// <summary>A field line: its name and value are set.</summary>
    Field,

    /// <summary>The empty line that ends the head: <see cref="Http1FieldLineReader.HeadLength"/> is set.</summary>
    End,

    /// <summary>The next line has not arrived yet.</summary>
    Incomplete,

    /// <summary>A line outside the grammar, or one field line too many.</summary>
    Unsupported,
}

/// <summary>
/// Reads and checks a head's field lines one by one, after its start line, for both head parsers: each line CRLF-terminated,
/// at most <see cref="Http1Syntax.MaxHeaderLines"/> of them, each "name:value" with the value's bytes in the caller's byte
/// class. (<see cref="Http1FieldLines"/> walks a head they have already accepted.)
/// </summary>
internal ref struct Http1FieldLineReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly SearchValues<byte> _valueBytes;
    private int _offset;
    private int _lines;

    /// <param name="buffer">The head from its first byte.</param>
    /// <param name="offset">Where the first field line starts (after the start line's CRLF).</param>
    /// <param name="valueBytes">The bytes a field value may hold.</param>
    public Http1FieldLineReader(ReadOnlySpan<byte> buffer, int offset, SearchValues<byte> valueBytes)
    {
        _buffer = buffer;
        _offset = offset;
        _valueBytes = valueBytes;
    }

    /// <summary>The head's length, its final empty line included, once <see cref="Read"/> has answered End; 0 until then.</summary>
    public int HeadLength { get; private set; }

    /// <summary>Field lines read so far.</summary>
    public readonly int FieldCount => _lines;

    /// <summary>The next field line: its name, and its value (trimmed) as a slice of the buffer.</summary>
    public Http1FieldRead Read(out ReadOnlySpan<byte> name, out HeadSlice value)
    {
        name = default;
        value = HeadSlice.Absent;
        switch (Http1Syntax.TryReadLine(_buffer, _offset, out var lineLength))
        {
            case Http1HeadStatus.Incomplete:
                return Http1FieldRead.Incomplete;
            case Http1HeadStatus.Unsupported:
                return Http1FieldRead.Unsupported;
        }

        if (lineLength == 0)
        {
            HeadLength = _offset + 2;
            return Http1FieldRead.End;
        }

        var line = _buffer.Slice(_offset, lineLength);
        if (_lines++ == Http1Syntax.MaxHeaderLines
            || !Http1Syntax.TryParseFieldLine(line, _valueBytes, out var nameLength, out var valueStart, out var valueLength))
        {
            return Http1FieldRead.Unsupported;
        }

        name = line[..nameLength];
        value = new HeadSlice(_offset + valueStart, valueLength);
        _offset += lineLength + 2;
        return Http1FieldRead.Field;
    }
}
