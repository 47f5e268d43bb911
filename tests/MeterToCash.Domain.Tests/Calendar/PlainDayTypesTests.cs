using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Calendar;

public class PlainDayTypesTests
{
    [Fact]
    public void Of_EachDayOfAWeek_IsWorkdayMondayToFridayAndWeekendSaturdaySunday()
    {
        DateOnly monday = new(2027, 3, 1);
        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);

        DayType[] week = [.. Enumerable.Range(0, 7).Select(i => PlainDayTypes.Of(monday.AddDays(i)))];

        Assert.Equal([DayType.Workday, DayType.Workday, DayType.Workday, DayType.Workday, DayType.Workday, DayType.Weekend, DayType.Weekend], week);
    }
}
