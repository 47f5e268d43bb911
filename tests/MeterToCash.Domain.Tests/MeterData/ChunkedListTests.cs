using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tests.MeterData;

public sealed class ChunkedListTests
{
    private static ChunkedList<T> Fill<T>(IEnumerable<T> items)
    {
        ChunkedList<T> list = new();
        foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }

    // Lengths around the first chunk's doublings and the chunk boundaries (16,384 ints per chunk; readings, a power of two near 1,000).
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1_023)]
    [InlineData(1_024)]
    [InlineData(1_025)]
    [InlineData(16_384)]
    [InlineData(16_385)]
    [InlineData(40_000)]
    public void ChunkedList_Appends_ReadsBackInOrderByIndexAndEnumeration(int count)
    {
        ChunkedList<int> ints = Fill(Enumerable.Range(0, count).Select(i => i * 3));
        IntervalReading[] readings = Enumerable.Range(0, count)
            .Select(i => new IntervalReading(new MeterId("M" + (i % 7)), MeterChannel.ActiveImport, DateTimeOffset.UnixEpoch.AddMinutes(15 * i), 15, i / 1000m, EnergyUnit.Kwh, ReadingQuality.Valid))
            .ToArray();
        ChunkedList<IntervalReading> chunked = Fill(readings);

        Assert.Equal(count, ints.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i * 3), ints);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(i * 3, ints[i]));
        Assert.Equal(readings, chunked);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(readings[i], chunked[i]));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool ChunkedList_AnyItems_BehavesAsAList(long[] items)
    {
        ChunkedList<long> chunked = Fill(items);
        return chunked.Count == items.Length && chunked.SequenceEqual(items) && Enumerable.Range(0, items.Length).All(i => chunked[i] == items[i]);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(1_025, 1_025)]
    [InlineData(1_025, int.MinValue)]
    public void ChunkedList_IndexOutsideCount_Throws(int count, int index)
    {
        ChunkedList<IntervalReading> list = Fill(Enumerable.Repeat(default(IntervalReading), count));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[index]);
    }
}
