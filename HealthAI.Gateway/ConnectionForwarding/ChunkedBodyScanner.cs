using System.Buffers;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// Finds the end of a chunked body (RFC 9112 section 7.1) while the caller copies it through verbatim; keeps state across any
/// split of the input, down to one byte at a time. Strict: chunk sizes of 1-15 hex digits, extensions of at most 256 bytes
/// (visible ASCII, SP, HTAB), trailer fields of at most 8 KiB in all; anything else is InvalidData and the caller drops the
/// connection. A default instance is ready for a new body.
/// </summary>
internal struct ChunkedBodyScanner
{
    public const int MaxSizeDigits = 15;
    public const int MaxExtensionBytes = 256;
    public const int MaxTrailerBytes = 8 * 1024;

    private State _state;
    private long _remaining;
    private long _dataBytes;
    private int _count;
    private int _trailerBytes;

    /// <summary>Chunk data scanned so far: the body's decoded length, framing excluded.</summary>
    public readonly long DataBytes => _dataBytes;

    /// <summary>Whether a trailer field has been scanned (the trailer section held more than its final blank line).</summary>
    public readonly bool HasTrailerFields => _trailerBytes > 0;

    private enum State : byte
    {
        SizeFirstDigit,
        Size,
        Extension,
        SizeLineLf,
        Data,
        DataCr,
        DataLf,
        TrailerStart,
        TrailerName,
        TrailerValue,
        TrailerLf,
        FinalLf,
        Done,
        Invalid,
    }

    /// <summary>
    /// Done: the last chunk and the trailer section end within <paramref name="data"/>; <paramref name="consumed"/> = the bytes
    /// of <paramref name="data"/> that belong to the body (what follows is the next message). NeedMoreData: all of
    /// <paramref name="data"/> belongs to the body. InvalidData: broken framing at <paramref name="consumed"/>. Once Done, later
    /// calls answer Done with nothing consumed; once InvalidData, they answer InvalidData.
    /// </summary>
    public OperationStatus Scan(ReadOnlySpan<byte> data, out int consumed)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_state == State.Data)
            {
                // The bulk of a body: skip it without looking at it.
                var take = (int)Math.Min(_remaining, data.Length - i);
                i += take;
                _remaining -= take;
                _dataBytes += take;
                if (_remaining == 0)
                {
                    _state = State.DataCr;
                }

                continue;
            }

            if (_state == State.Done)
            {
                consumed = i;
                return OperationStatus.Done;
            }

            if (!Step(data[i]))
            {
                consumed = i;
                _state = State.Invalid;
                return OperationStatus.InvalidData;
            }

            i++;
        }

        consumed = i;
        return _state switch
        {
            State.Done => OperationStatus.Done,
            State.Invalid => OperationStatus.InvalidData,
            _ => OperationStatus.NeedMoreData,
        };
    }

    // One byte of framing (anything but chunk data); false when it breaks the grammar.
    private bool Step(byte b)
    {
        switch (_state)
        {
            case State.SizeFirstDigit or State.Size:
                return StepSize(b);
            case State.Extension when b == '\r':
                _state = State.SizeLineLf;
                return true;
            case State.Extension:
                return ++_count <= MaxExtensionBytes && Http1Syntax.FieldValueBytes.Contains(b);
            case State.SizeLineLf when b == '\n':
                _count = 0;
                _state = _remaining == 0 ? State.TrailerStart : State.Data;
                return true;
            case State.DataCr when b == '\r':
                _state = State.DataLf;
                return true;
            case State.DataLf when b == '\n':
                _state = State.SizeFirstDigit;
                return true;
            case State.TrailerStart when b == '\r':
                _state = State.FinalLf;
                return true;
            case State.TrailerName when b == ':':
                return Next(State.TrailerValue);
            case State.TrailerStart or State.TrailerName:
                // A field name starts the line: no obs-fold, no empty name.
                return Http1Syntax.TokenBytes.Contains(b) && Next(State.TrailerName);
            case State.TrailerValue when b == '\r':
                return Next(State.TrailerLf);
            case State.TrailerValue:
                return Http1Syntax.FieldValueOrObsTextBytes.Contains(b) && Next(State.TrailerValue);
            case State.TrailerLf when b == '\n':
                return Next(State.TrailerStart);
            case State.FinalLf when b == '\n':
                _state = State.Done;
                return true;
            default:
                return false;
        }
    }

    private bool StepSize(byte b)
    {
        var digit = HexDigit(b);
        if (digit >= 0)
        {
            if (_count == MaxSizeDigits)
            {
                return false;
            }

            _remaining = (_remaining << 4) | (uint)digit;
            _count++;
            _state = State.Size;
            return true;
        }

        if (_state == State.SizeFirstDigit)
        {
            return false;
        }

        if (b == ';')
        {
            _count = 1;
            _state = State.Extension;
            return true;
        }

        if (b == '\r')
        {
            _state = State.SizeLineLf;
            return true;
        }

        return false;
    }

    // A trailer byte (line terminators included) counted against the trailer limit.
    private bool Next(State state)
    {
        if (++_trailerBytes > MaxTrailerBytes)
        {
            return false;
        }

        _state = state;
        return true;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
