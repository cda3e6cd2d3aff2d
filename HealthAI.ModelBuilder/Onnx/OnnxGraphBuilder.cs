using System.Runtime.InteropServices;
using Google.Protobuf;

namespace HealthAI.ModelBuilder.Onnx;

/// <summary>Small helpers to assemble an ONNX <see cref="GraphProto"/>: initializers as raw little-endian bytes, nodes with unique names.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly Dictionary<string, int> _opCounts = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name)
    {
        if (!BitConverter.IsLittleEndian)
        {
            // raw_data is little-endian by specification; the arrays below are copied byte for byte.
            throw new PlatformNotSupportedException("Writing ONNX raw tensor data needs a little-endian machine.");
        }

        Graph = new GraphProto { Name = name };
    }

    public GraphProto Graph { get; }

    public string Initializer(string name, float[] data, params long[] dims)
    {
        CheckElementCount(name, data.Length, dims);
        Graph.Initializer.Add(Tensor(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), dims));
        return name;
    }

    public string Initializer(string name, long[] data, params long[] dims)
    {
        CheckElementCount(name, data.Length, dims);
        Graph.Initializer.Add(Tensor(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), dims));
        return name;
    }

    /// <summary>A rank-0 float constant.</summary>
    public string Scalar(string name, float value) => Initializer(name, [value]);

    /// <summary>A rank-0 int64 constant.</summary>
    public string Scalar(string name, long value) => Initializer(name, [value]);

    /// <summary>Adds a node with one output and returns the output's name (<paramref name="output"/> or a generated one).</summary>
    public string Node(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var index = _opCounts[opType] = _opCounts.GetValueOrDefault(opType) + 1;
        var name = $"{opType}_{index}";
        output ??= $"{name}_out";
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, byte[] raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A tensor value description; each dimension is a fixed size (int/long) or a symbolic name (string).</summary>
    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"Dimension of '{name}' must be a size or a name.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static void CheckElementCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (var dim in dims)
        {
            expected *= dim;
        }

        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values for shape [{string.Join(',', dims)}].", nameof(dims));
        }
    }
}
