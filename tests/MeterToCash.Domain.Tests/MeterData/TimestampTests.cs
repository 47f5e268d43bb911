using System.Globalization;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tests.MeterData;

public class TimestampTests
{
    [Theory]
    [InlineData("2026-11-26T00:15:00Z", "2026-11-26T00:15:00+00:00")]
    [InlineData("2026-11-26T08:15:00+08:00", "2026-11-26T00:15:00+00:00")]
    [InlineData("2026-11-25T19:15:00-05:00", "2026-11-26T00:15:00+00:00")]
    [InlineData("2026-11-26T14:15:00+14:00", "2026-11-26T00:15:00+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00+00:00")]
    [InlineData("2026-11-26T00:15:00.000+08:00", "2026-11-25T16:15:00+00:00")]
    [InlineData(" 2026-11-26T00:15:00Z ", "2026-11-26T00:15:00+00:00")]
    [InlineData("2026-11-26T08:15:00+0800", "2026-11-26T00:15:00+00:00")]
    public void TryTimestamp_ValidText_ParsesToUtc(string text, string expectedUtc)
    {
        Assert.True(BatchBuilder.TryTimestamp(text, out DateTimeOffset instant));
        Assert.Equal((DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture), TimeSpan.Zero), (instant, instant.Offset));
    }

    [Theory]
    [InlineData("2026-11-26T14:15:00+14:01")]
    [InlineData("2026-11-26T14:15:00+08:60")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-00-10T00:00:00Z")]
    [InlineData("2026-11-26T00:15:60Z")]
    [InlineData("2026-11-26t00:15:00Z")]
    [InlineData("2026-11-26T00:15:00z")]
    [InlineData("2026/11/26T00:15:00Z")]
    [InlineData("2100-01-01T00:00:00Z")]
    [InlineData(null)]
    public void TryTimestamp_InvalidText_Fails(string? text) => Assert.False(BatchBuilder.TryTimestamp(text, out _));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool TryTimestamp_AnyInstantInRange_AgreesWithFrameworkParser(uint seconds, sbyte offsetQuarterHours)
    {
        DateTimeOffset utc = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds % (99u * 365 * 86400));
        var offset = TimeSpan.FromMinutes(15 * (offsetQuarterHours % 57));
        string text = utc.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

        return BatchBuilder.TryTimestamp(text, out DateTimeOffset parsed) == (utc.Year < 2100) && (utc.Year >= 2100 || parsed == utc);
    }
}
