using System.IO.Compression;
using System.Text.Json;

namespace MeterToCash.Benchmarks.Load;

/// <summary>What the ceilings write as a ledger head's snapshot: the entries as gzipped JSON, as <c>LedgerStore</c> packs them.</summary>
internal static class LedgerHeadSnapshot
{
    public static byte[] Of<T>(IEnumerable<T> entries)
    {
        using MemoryStream packed = new();
        using (GZipStream zip = new(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(zip, entries);
        }

        return packed.ToArray();
    }
}
