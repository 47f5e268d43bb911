using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Tests.MeterData;

public class MeterDataKeysTests
{
    [Theory]
    [InlineData("3100012345", MeterChannel.ActiveImport)]
    [InlineData("HB-0001-7", MeterChannel.ActiveExport)]
    [InlineData("m-1", MeterChannel.ReactiveImport)]
    [InlineData("X", MeterChannel.ReactiveExport)]
    public void TryCurveRowChannel_RowKeyOfCurveRow_GivesItsChannelBack(string meter, MeterChannel channel)
    {
        string row = MeterDataKeys.CurveRow(meter, channel);

        Assert.True(MeterDataKeys.TryCurveRowChannel(row, out MeterChannel parsed));
        Assert.Equal(channel, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AI")]
    [InlineData("-AI")]
    [InlineData("M1-")]
    [InlineData("M1-XX")]
    [InlineData("M1-AIX")]
    public void TryCurveRowChannel_NotACurveRow_False(string rowKey) =>
        Assert.False(MeterDataKeys.TryCurveRowChannel(rowKey, out _));
}
