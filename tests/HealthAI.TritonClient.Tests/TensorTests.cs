namespace HealthAI.TritonClient.Tests;

public sealed class TensorTests
{
    [Fact]
    public void NumericInput_ViewsTheCallersMemoryWithoutCopying()
    {
        var ids = new long[] { 1, 2, 3, 4 };

        var input = InferInput.Int64("input_ids", ids, 2, 2);
        ids[3] = 0x0102030405060708;

        Assert.Equal(TensorDataType.Int64, input.DataType);
        Assert.Equal(32, input.Data.Length);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, input.Data[24..].ToArray());
        Assert.Equal([2L, 2L], input.Shape.ToArray());
    }

    [Fact]
    public void Input_WhoseShapeDoesNotMatchTheData_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => InferInput.Fp32("x", new float[5], 2, 3));
        Assert.Contains("needs 6", ex.Message);
        Assert.Throws<ArgumentException>(() => InferInput.Int32("x", new int[1], -1));
        Assert.Throws<ArgumentException>(() => InferInput.Int32("x", new int[1]));
        Assert.Throws<ArgumentException>(() => InferInput.Raw("x", TensorDataType.Fp16, new byte[3], 2));
        Assert.Throws<ArgumentException>(() => InferInput.Raw("x", TensorDataType.Bytes, new byte[] { 5, 0, 0, 0, 1 }, 1));
    }

    [Fact]
    public void BytesInput_IsLengthPrefixedOnce()
    {
        var input = InferInput.Bytes("b", [new byte[] { 0xFF }, ReadOnlyMemory<byte>.Empty], 2);

        Assert.Equal(new byte[] { 1, 0, 0, 0, 0xFF, 0, 0, 0, 0 }, input.Data.ToArray());
        Assert.Equal(2, input.ElementCount);
    }

    [Fact]
    public void Output_ReadAsTheWrongType_Throws()
    {
        var output = new InferOutput("o", TensorDataType.Fp32, [2], new byte[8]);

        Assert.Equal(2, output.AsFp32().Length);
        Assert.Throws<InvalidOperationException>(() => output.AsInt64().Length);
        Assert.Throws<InvalidOperationException>(() => output.GetStrings());
        Assert.Throws<FormatException>(() => new InferOutput("o", TensorDataType.Fp32, [3], new byte[8]));
    }

    [Theory]
    [InlineData("BOOL", TensorDataType.Bool, 1)]
    [InlineData("INT64", TensorDataType.Int64, 8)]
    [InlineData("FP16", TensorDataType.Fp16, 2)]
    [InlineData("BF16", TensorDataType.Bf16, 2)]
    [InlineData("BYTES", TensorDataType.Bytes, 0)]
    public void DataTypes_RoundTripTheirProtocolNames(string name, TensorDataType type, int size)
    {
        Assert.True(TensorDataTypes.TryParse(name, out var parsed));
        Assert.Equal(type, parsed);
        Assert.Equal(name, type.ToWireName());
        Assert.Equal(size, type.ElementSize());
        Assert.False(TensorDataTypes.TryParse(name.ToLowerInvariant(), out _));
    }
}
