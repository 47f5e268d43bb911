using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// An append-only list kept in fixed chunks of at most 64 KiB, so it never allocates on the large object heap and never
/// copies when it grows.
/// </summary>
/// <remarks>
/// A pushed area-day holds about ten thousand interval readings, 600 KB as one array. Every large-object allocation
/// counts towards a full (generation 2) collection: in the ingestion load, one such array per document set off 21
/// background gen-2 collections in 15 seconds. Chunks of 64 KiB are small objects, collected young with the rest of
/// the request.
/// </remarks>
internal sealed class ChunkedList<T> : IReadOnlyList<T>
{
    // A power of two, so an index splits into chunk and offset with a shift and a mask.
    private static readonly int Shift = ChunkShift();
    private static readonly int Mask = (1 << Shift) - 1;

    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {Count} items.");
            }

            return _chunks[index >> Shift][index & Mask];
        }
    }

    public void Add(T item)
    {
        int chunk = Count >> Shift, offset = Count & Mask;
        if (chunk == _chunks.Count)
        {
            // The first chunk starts small and doubles, as a List would: most lists in tests and small pushes are short.
            _chunks.Add(new T[chunk == 0 ? Math.Min(16, Mask + 1) : Mask + 1]);
        }
        else if (offset == _chunks[chunk].Length)
        {
            Array.Resize(ref CollectionsMarshal.AsSpan(_chunks)[chunk], Math.Min(offset * 2, Mask + 1));
        }

        _chunks[chunk][offset] = item;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return _chunks[i >> Shift][i & Mask];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int ChunkShift()
    {
        // Largest power of two of elements within 64 KiB (the large object threshold is 85,000 bytes).
        int elements = Math.Max(1, (64 * 1024) / Unsafe.SizeOf<T>());
        return System.Numerics.BitOperations.Log2((uint)elements);
    }
}
