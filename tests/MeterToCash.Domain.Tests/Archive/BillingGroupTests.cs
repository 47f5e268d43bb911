using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Archive;

public class BillingGroupTests
{
    [Fact]
    public void PeriodEndingIn_CycleDay15_RunsFrom15thOfPreviousMonthTo15thExclusive()
    {
        BillingGroup group = new("BG-WEST", "西区", 15, ["TA0007"]);

        BillingPeriod period = group.PeriodEndingIn(2026, 3);

        Assert.Equal(new DateOnly(2026, 2, 15), period.Start);
        Assert.Equal(new DateOnly(2026, 3, 15), period.End);
        Assert.Equal(28, period.Days);
    }

    [Fact]
    public void PeriodEndingIn_CycleDay1January_IsDecemberOfPreviousYear()
    {
        BillingGroup group = new("BG-EAST", "东区", 1, ["TA0001"]);

        Assert.Equal(new BillingPeriod(new DateOnly(2025, 12, 1), new DateOnly(2026, 1, 1)), group.PeriodEndingIn(2026, 1));
    }

    [Fact]
    public void PeriodStartingIn_December_EndsOnNextYearsCycleDay()
    {
        BillingGroup group = new("BG-1", "x", 28, ["TA0001"]);

        Assert.Equal(new BillingPeriod(new DateOnly(2026, 12, 28), new DateOnly(2027, 1, 28)), group.PeriodStartingIn(2026, 12));
    }

    [Fact]
    public void Periods_ConsecutiveMonths_TileWithoutGapOrOverlap()
    {
        BillingGroup group = new("BG-1", "x", 10, ["TA0001"]);

        for (int month = 1; month <= 12; month++)
        {
            Assert.Equal(group.PeriodStartingIn(2026, month).End, group.PeriodEndingIn(2026, month).End.AddMonths(1));
            Assert.Equal(group.PeriodEndingIn(2026, month).End, group.PeriodStartingIn(2026, month).Start);
        }
    }

    [Theory]
    [InlineData(2026, 3, 14, 2026, 3, 15)]
    [InlineData(2026, 3, 15, 2026, 3, 15)]
    [InlineData(2026, 3, 16, 2026, 4, 15)]
    [InlineData(2026, 12, 31, 2027, 1, 15)]
    public void NextCycleOnOrAfter_AroundCycleDay_IsTodayOrNextMonth(int y, int m, int d, int ey, int em, int ed)
    {
        BillingGroup group = new("BG-1", "x", 15, ["TA0001"]);

        Assert.Equal(new DateOnly(ey, em, ed), group.NextCycleOnOrAfter(new DateOnly(y, m, d)));
    }

    [Theory]
    [InlineData("bg-lower", "x", 1, "code", "code-format")]
    [InlineData("BG_UNDERSCORE", "x", 1, "code", "code-format")]
    [InlineData("BG-1", " ", 1, "name", "required")]
    [InlineData("BG-1", "x", 0, "cycleDay", "range")]
    [InlineData("BG-1", "x", 29, "cycleDay", "range")]
    public void Create_BrokenRule_NamesFieldAndRule(string code, string name, int cycleDay, string field, string rule)
    {
        List<ValidationError> errors = [];

        Assert.Null(BillingGroup.Create(code, name, cycleDay, ["TA0001"], errors));
        Assert.Contains(errors, e => e.Field == field && e.Rule == rule);
    }

    [Fact]
    public void Create_DuplicateAreas_AreDeduplicatedAndSorted()
    {
        List<ValidationError> errors = [];

        BillingGroup? group = BillingGroup.Create("BG-1", " 东区 ", 1, ["TA0002", "TA0001", " TA0002"], errors);

        Assert.NotNull(group);
        Assert.Equal(["TA0001", "TA0002"], group.Areas);
        Assert.Equal("东区", group.Name);
    }

    [Fact]
    public void Constructor_NoAreas_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BillingGroup("BG-1", "x", 1, []));
    }
}
