using FsCheck;
using FsCheck.Fluent;
using MeterToCash.Domain.Calendar;

namespace MeterToCash.Domain.Tests.Calendar;

public class HolidayCalendarJsonTests
{
    private const string Valid = """
        {"year":2026,"source":"国办发明电〔2025〕7号",
         "holidays":[{"name":"元旦","from":"2026-01-01","to":"2026-01-03"},{"name":"春节 Spring Festival","from":"2026-02-15","to":"2026-02-23"}],
         "makeUpWorkdays":["2026-01-04","2026-02-14","2026-02-28"]}
        """;

    [Fact]
    public void Load_ValidDocument_ReadsEveryField()
    {
        HolidayCalendarLoadResult result = HolidayCalendarJson.Load(Valid);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Equal(2026, result.Calendar.Year);
        Assert.Equal("国办发明电〔2025〕7号", result.Calendar.Source);
        Assert.Equal(new HolidayPeriod("春节 Spring Festival", new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23)), result.Calendar.Holidays[1]);
        Assert.Equal(3, result.Calendar.MakeUpWorkdays.Count);
    }

    [Theory]
    // Each document breaks one rule; the error names the JSON path and the rule.
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2026-05-05","to":"2026-05-01"}],"makeUpWorkdays":[]}""", "$.holidays[0].to", "range-order")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2025-12-31","to":"2026-01-01"}],"makeUpWorkdays":[]}""", "$.holidays[0].from", "in-year")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2026-05-01","to":"2026-05-05"},{"name":"b","from":"2026-04-30","to":"2026-05-01"}],"makeUpWorkdays":[]}""", "$.holidays[0]", "overlap")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2026-05-01","to":"2026-05-05"}],"makeUpWorkdays":["2026-05-02"]}""", "$.makeUpWorkdays[0]", "inside-holiday")]
    [InlineData("""{"year":2026,"source":"s","holidays":[],"makeUpWorkdays":["2026-05-08"]}""", "$.makeUpWorkdays[0]", "weekend-required")]
    [InlineData("""{"year":2026,"source":"s","holidays":[],"makeUpWorkdays":["2026-05-09","2026-05-09"]}""", "$.makeUpWorkdays[1]", "duplicate")]
    [InlineData("""{"year":2026,"source":"s","holidays":[],"makeUpWorkdays":["2027-01-02"]}""", "$.makeUpWorkdays[0]", "in-year")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2026-5-1","to":"2026-05-01"}],"makeUpWorkdays":[]}""", "$.holidays[0].from", "date-format")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"","from":"2026-05-01","to":"2026-05-01"}],"makeUpWorkdays":[]}""", "$.holidays[0].name", "required")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2026-05-01","until":"2026-05-01"}],"makeUpWorkdays":[]}""", "$.holidays[0].until", "unknown-property")]
    [InlineData("""{"year":2026,"source":"s","holidays":[{"name":"a","from":"2026-05-01","until":"2026-05-01"}],"makeUpWorkdays":[]}""", "$.holidays[0].to", "required")]
    [InlineData("""{"year":"2026","source":"s","holidays":[],"makeUpWorkdays":[]}""", "$.year", "type")]
    [InlineData("""{"year":2026,"holidays":[],"makeUpWorkdays":[]}""", "$.source", "required")]
    [InlineData("""{"year":2026,"source":"s","holidays":{},"makeUpWorkdays":[]}""", "$.holidays", "type")]
    [InlineData("""{"year":2026,"source":"s","holidays":[]}""", "$.makeUpWorkdays", "required")]
    [InlineData("""{"year":99999,"source":"s","holidays":[],"makeUpWorkdays":[]}""", "$.year", "range")]
    [InlineData("""[]""", "$", "type")]
    public void Load_InvalidDocument_ReportsPathAndRule(string json, string path, string rule)
    {
        HolidayCalendarLoadResult result = HolidayCalendarJson.Load(json);

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Path == path && e.Rule == rule);
    }

    [Fact]
    public void Load_SeveralBrokenFields_ReportsEachOne()
    {
        HolidayCalendarLoadResult result = HolidayCalendarJson.Load("""{"year":2026,"source":"","holidays":[{"name":"a","from":"x","to":"2026-01-01"}],"makeUpWorkdays":[7],"extra":1}""");

        Assert.Equal(
            ["$.extra", "$.holidays[0].from", "$.makeUpWorkdays[0]"],
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_NotJson_ReportsJsonRule()
    {
        HolidayCalendarLoadResult result = HolidayCalendarJson.Load("{\"year\":");

        Assert.Equal("json", Assert.Single(result.Errors).Rule);
    }

    [Fact]
    public void Write_ShippedCalendar_KeepsChineseUnescaped()
    {
        string json = HolidayCalendarJson.Write(HolidayCalendarJson.LoadShipped(2026));

        Assert.Contains("\"source\": \"国办发明电〔2025〕7号\"", json, StringComparison.Ordinal);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property WriteThenLoad_AnyValidCalendar_GivesAnEqualCalendarAndTheSameText() =>
        Prop.ForAll(Calendars().ToArbitrary(), calendar =>
        {
            string json = HolidayCalendarJson.Write(calendar);
            HolidayCalendarLoadResult read = HolidayCalendarJson.Load(json);
            return read.IsSuccess && read.Calendar.Equals(calendar) && HolidayCalendarJson.Write(read.Calendar) == json;
        });

    private static readonly string[] Names = ["元旦", "春节 Spring Festival", "a \"quoted\" name", "back\\slash", "国庆节、中秋节", "tab\tand\nline"];

    /// <summary>Valid calendars: up to eight non-overlapping periods of 1–9 days, and some of the weekend days left outside them as make-up days.</summary>
    private static Gen<HolidayCalendar> Calendars() =>
        from year in Gen.Choose(2000, 2099)
        from source in Gen.Elements(Names)
        from seed in Gen.Choose(0, int.MaxValue)
        select Build(year, source, new Random(seed));

    private static HolidayCalendar Build(int year, string source, Random random)
    {
        DateOnly first = new(year, 1, 1);
        int daysInYear = DateTime.IsLeapYear(year) ? 366 : 365;
        List<HolidayPeriod> holidays = [];
        int next = random.Next(0, 30);
        for (int i = random.Next(0, 9); i > 0 && next < daysInYear; i--)
        {
            int length = Math.Min(random.Next(1, 10), daysInYear - next);
            holidays.Add(new HolidayPeriod(Names[random.Next(Names.Length)], first.AddDays(next), first.AddDays(next + length - 1)));
            next += length + random.Next(0, 60);
        }

        List<DateOnly> makeUps = [.. Enumerable.Range(0, daysInYear).Select(first.AddDays)
            .Where(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !holidays.Any(h => h.Contains(d)) && random.Next(20) == 0)];

        // Given in shuffled order: the calendar keeps its own ascending order.
        return new HolidayCalendar(year, source, holidays.OrderBy(_ => random.Next()), makeUps.OrderBy(_ => random.Next()));
    }
}
