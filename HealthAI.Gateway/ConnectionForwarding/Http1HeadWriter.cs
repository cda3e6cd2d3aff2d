namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// Appends head pieces to a caller's span; once a piece does not fit, every later piece is ignored and
/// <see cref="BytesWritten"/> is -1, so writers check once at the end.
/// </summary>
internal ref struct Http1HeadWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    /// <summary>Bytes written, or -1 when the head did not fit.</summary>
    public readonly int BytesWritten => _position;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_position < 0)
        {
            return;
        }

        if (bytes.TryCopyTo(_destination[_position..]))
        {
            _position += bytes.Length;
        }
        else
        {
            _position = -1;
        }
    }

    /// <summary>"name: value\r\n".</summary>
    public void WriteField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }
}

/// <summary>Walks the field lines of a head that a parser already accepted: no validation, just splitting.</summary>
internal ref struct Http1FieldLines
{
    private ReadOnlySpan<byte> _remaining;

    /// <summary><paramref name="head"/>: exactly a parsed head (HeadLength bytes), status or request line included.</summary>
    public Http1FieldLines(ReadOnlySpan<byte> head)
    {
        // Skip the start line; stop before the blank line.
        var start = head.IndexOf("\r\n"u8) + 2;
        _remaining = head[start..^2];
    }

    public ReadOnlySpan<byte> Name { get; private set; }

    /// <summary>The value with surrounding whitespace trimmed.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    public bool MoveNext()
    {
        if (_remaining.IsEmpty)
        {
            return false;
        }

        var end = _remaining.IndexOf("\r\n"u8);
        var line = _remaining[..end];
        _remaining = _remaining[(end + 2)..];
        var colon = line.IndexOf((byte)':');
        Name = line[..colon];
        Value = Http1Syntax.TrimWhitespace(line[(colon + 1)..]);
        return true;
    }
}
