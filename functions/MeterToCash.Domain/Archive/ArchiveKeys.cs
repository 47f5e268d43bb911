namespace MeterToCash.Domain.Archive;

/// <summary>
/// Key design of the archive tables, kept pure so it is unit-tested and shared by every writer and reader.
/// </summary>
/// <remarks>
/// <para><b>Customers</b>: PartitionKey = managing transformer-area code, RowKey = account number. An area holds a
/// few hundred accounts, so "list an area's customers" (the back-office and billing-cycle access pattern) is one
/// partition query, an import batch of one area is an entity-group transaction of up to 100, and load spreads over
/// thousands of partitions, far below the 2,000 entities/s limit of each.</para>
/// <para><b>ArchiveIndex</b>: point look-ups by account number (bank and kiosk queries) and by meter number
/// (ingestion). One partition per key would forbid batching, one partition for all would hit the per-partition
/// limit, so keys are spread over <see cref="IndexBuckets"/> hash buckets: PartitionKey = <c>acct-NN</c> or
/// <c>meter-NN</c>, RowKey = the number. Index entries are written before the customer and checked against it when
/// read, so a crash between the two leaves a harmless dangling entry, never a customer that cannot be found.</para>
/// <para><b>Network</b>: PartitionKey = <see cref="NetworkPartition"/>, RowKey = <c>level-code</c>: a utility's whole
/// tree is a few thousand nodes, read in one query for the area tree.</para>
/// </remarks>
public static class ArchiveKeys
{
    /// <summary>Number of hash buckets of the index tables.</summary>
    public const int IndexBuckets = 64;

    /// <summary>The single partition holding the network tree.</summary>
    public const string NetworkPartition = "network";

    /// <summary>
    /// Index partition of the transformer areas' master meters (RowKey = upper-cased meter number, AreaCode = the area):
    /// one per area, a few thousand rows, kept apart from the customer meter buckets so a customer's index rows and an
    /// area's never overwrite each other.
    /// </summary>
    public const string MasterMeterPartition = "master-meters";

    /// <summary>Index partition of an account number.</summary>
    public static string AccountIndexPartition(string accountNo) => "acct-" + Bucket(accountNo);

    /// <summary>Index partition of a meter number (case-insensitive, as meter numbers are).</summary>
    public static string MeterIndexPartition(string meterNo) => "meter-" + Bucket(meterNo.ToUpperInvariant());

    /// <summary>Row key of a meter in the index: upper-cased so look-ups ignore case.</summary>
    public static string MeterIndexRow(string meterNo) => meterNo.ToUpperInvariant();

    /// <summary>Row key of a network node.</summary>
    public static string NetworkRow(NetworkLevel level, string code) => level switch
    {
        NetworkLevel.Substation => "substation-" + code,
        NetworkLevel.Feeder => "feeder-" + code,
        NetworkLevel.TransformerArea => "area-" + code,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>
    /// Stable bucket 00–63 of a key: FNV-1a over its UTF-16 code units. Must never change once data exists, so it
    /// is not <see cref="string.GetHashCode()"/>, which is randomised per process.
    /// </summary>
    public static string Bucket(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        uint hash = 2166136261;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (hash % IndexBuckets).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
