using System.Buffers.Binary;
using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Tests;

/// <summary>Request bytes handed to ONNX Runtime in place when aligned, and never when they are not.</summary>
public sealed class ByteMemoryCastTests
{
    private static byte[] Longs(params long[] values)
    {
        var bytes = new byte[(values.Length * 8) + 3];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    [Fact]
    public void Aligned_array_memory_is_viewed_in_place()
    {
        var bytes = Longs(7, -8, long.MaxValue);

        Assert.True(ByteMemoryCast<long>.TryCreate(bytes.AsMemory(0, 24), out var elements));

        Assert.Equal([7L, -8, long.MaxValue], elements.ToArray());
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), 99);
        Assert.Equal(99, elements.Span[1]);
        Assert.Equal(long.MaxValue, elements[2..].Span[0]);
    }

    [Theory]
    [InlineData(3, 16)]
    [InlineData(0, 20)]
    public void Misaligned_or_partial_memory_is_refused(int offset, int length)
    {
        var bytes = Longs(1, 2, 3);

        Assert.False(ByteMemoryCast<long>.TryCreate(bytes.AsMemory(offset, length), out _));
    }
}
