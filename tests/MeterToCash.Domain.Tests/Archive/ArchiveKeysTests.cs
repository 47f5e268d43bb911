using FsCheck.Xunit;
using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Tests.Archive;

public class ArchiveKeysTests
{
    [Property]
    public bool Bucket_AnyKey_IsTwoDigitsBelowBucketCount(string? key)
    {
        string bucket = ArchiveKeys.Bucket(key ?? string.Empty);
        return bucket.Length == 2 && int.Parse(bucket, System.Globalization.CultureInfo.InvariantCulture) < ArchiveKeys.IndexBuckets;
    }

    [Fact]
    public void Bucket_KnownKeys_MatchFnv1aWorkedByHand()
    {
        // FNV-1a 32-bit over UTF-16 code units: "" is the offset basis 2166136261 = 64 × 33845879 + 5.
        Assert.Equal("05", ArchiveKeys.Bucket(string.Empty));

        // "a": (2166136261 ^ 97) * 16777619 mod 2^32 = 3826002220 (the published FNV-1a value of "a"); 3826002220 = 64 × 59781284 + 44.
        Assert.Equal("44", ArchiveKeys.Bucket("a"));
    }

    [Fact]
    public void Bucket_TenThousandAccountNumbers_SpreadOverEveryBucket()
    {
        int[] counts = new int[ArchiveKeys.IndexBuckets];
        for (long account = 3100000000; account < 3100010000; account++)
        {
            counts[int.Parse(ArchiveKeys.Bucket(account.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture)]++;
        }

        // 156 expected per bucket; a partition design that funnels accounts into a few buckets would fail this.
        Assert.All(counts, c => Assert.InRange(c, 78, 312));
    }

    [Fact]
    public void MeterIndex_IgnoresCase()
    {
        Assert.Equal(ArchiveKeys.MeterIndexPartition("abc-1"), ArchiveKeys.MeterIndexPartition("ABC-1"));
        Assert.Equal("ABC-1", ArchiveKeys.MeterIndexRow("abc-1"));
    }

    [Theory]
    [InlineData(NetworkLevel.Substation, "S1", "substation-S1")]
    [InlineData(NetworkLevel.Feeder, "F1", "feeder-F1")]
    [InlineData(NetworkLevel.TransformerArea, "TA1", "area-TA1")]
    public void NetworkRow_PrefixesLevel(NetworkLevel level, string code, string expected) => Assert.Equal(expected, ArchiveKeys.NetworkRow(level, code));
}
