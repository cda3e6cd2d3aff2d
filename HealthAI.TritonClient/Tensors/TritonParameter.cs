using System.Globalization;

namespace HealthAI.TritonClient;

/// <summary>The kinds of value a KServe parameter holds.</summary>
public enum TritonParameterKind
{
    String,
    Int64,
    Bool,
    Double,
}

/// <summary>A request or response parameter: a string, 64-bit integer, boolean or double (KServe allows nothing else).</summary>
public readonly record struct TritonParameter
{
    private TritonParameter(TritonParameterKind kind, string? text, long integer, bool flag, double number)
    {
        Kind = kind;
        StringValue = text;
        Int64Value = integer;
        BoolValue = flag;
        DoubleValue = number;
    }

    /// <summary>Which of the values is set.</summary>
    public TritonParameterKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is String.</summary>
    public string? StringValue { get; }

    /// <summary>The value when <see cref="Kind"/> is Int64.</summary>
    public long Int64Value { get; }

    /// <summary>The value when <see cref="Kind"/> is Bool.</summary>
    public bool BoolValue { get; }

    /// <summary>The value when <see cref="Kind"/> is Double.</summary>
    public double DoubleValue { get; }

    public static TritonParameter FromString(string value) => new(TritonParameterKind.String, value ?? throw new ArgumentNullException(nameof(value)), 0, false, 0);

    public static TritonParameter FromInt64(long value) => new(TritonParameterKind.Int64, null, value, false, 0);

    public static TritonParameter FromBool(bool value) => new(TritonParameterKind.Bool, null, 0, value, 0);

    public static TritonParameter FromDouble(double value) => new(TritonParameterKind.Double, null, 0, false, value);

    public static implicit operator TritonParameter(string value) => FromString(value);

    public static implicit operator TritonParameter(long value) => FromInt64(value);

    public static implicit operator TritonParameter(bool value) => FromBool(value);

    public static implicit operator TritonParameter(double value) => FromDouble(value);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TritonParameterKind.String => StringValue!,
        TritonParameterKind.Int64 => Int64Value.ToString(CultureInfo.InvariantCulture),
        TritonParameterKind.Bool => BoolValue ? "true" : "false",
        _ => DoubleValue.ToString("R", CultureInfo.InvariantCulture),
    };
}
