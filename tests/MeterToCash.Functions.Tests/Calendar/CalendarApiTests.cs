using System.Net;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Calendar;

/// <summary>
/// The holiday calendar API over HTTP. Each test publishes its own year (2030 and later), so the tests neither depend on
/// each other nor on whether the fixture seeded the shipped 2025 and 2026 calendars.
/// </summary>
[Collection(BackendCollection.Name)]
public class CalendarApiTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task Put_FirstPublish_Returns201WithRevision1AndTheDocumentReadsBack()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        HolidayCalendar calendar = NewYearOnly(2030);

        HttpResponseMessage response = await admin.PutAsync("api/calendars/2030", Json(HolidayCalendarJson.Write(calendar)));

        JsonElement answer = await ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(1, answer.GetProperty("revision").GetInt32());
        Assert.True(answer.GetProperty("changed").GetBoolean());
        Assert.Equal(calendar.CountOf(DayType.Holiday), answer.GetProperty("days").GetProperty("holidays").GetInt32());
        HttpResponseMessage get = await Client.GetAsync("api/calendars/2030");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(calendar, HolidayCalendarJson.Load(await get.Content.ReadAsStringAsync()).Calendar);
        Assert.Equal("1", get.Headers.GetValues("X-Calendar-Revision").Single());
        JsonElement list = JsonDocument.Parse(await Client.GetStringAsync("api/calendars")).RootElement;
        Assert.Contains(list.GetProperty("calendars").EnumerateArray(), c => c.GetProperty("year").GetInt32() == 2030 && c.GetProperty("revision").GetInt32() == 1);
    }

    [Fact]
    public async Task Put_SameContentAgain_Returns200UnchangedAndKeepsRevision()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        string canonical = HolidayCalendarJson.Write(WithLabourDay(2031));
        JsonElement first = await ReadAsync(await admin.PutAsync("api/calendars/2031", Json(canonical)), HttpStatusCode.Created);

        // The same content, written differently: one line, make-up day and holidays in another order.
        string reordered = """{"makeUpWorkdays":["2031-04-27"],"year":2031,"source":"test notice","holidays":[{"name":"劳动节","from":"2031-05-01","to":"2031-05-05"},{"name":"元旦","from":"2031-01-01","to":"2031-01-01"}]}""";
        JsonElement again = await ReadAsync(await admin.PutAsync("api/calendars/2031", Json(reordered)), HttpStatusCode.OK);

        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(1, again.GetProperty("revision").GetInt32());
        Assert.Equal(first.GetProperty("sha256").GetString(), again.GetProperty("sha256").GetString());
        Assert.Equal(first.GetProperty("publishedAt").GetDateTimeOffset(), again.GetProperty("publishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Put_Correction_Returns200ChangedWithRevision2()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        await ReadAsync(await admin.PutAsync("api/calendars/2032", Json(HolidayCalendarJson.Write(NewYearOnly(2032)))), HttpStatusCode.Created);
        HolidayCalendar corrected = WithLabourDay(2032);

        JsonElement answer = await ReadAsync(await admin.PutAsync("api/calendars/2032", Json(HolidayCalendarJson.Write(corrected))), HttpStatusCode.OK);

        Assert.True(answer.GetProperty("changed").GetBoolean());
        Assert.Equal(2, answer.GetProperty("revision").GetInt32());
        HttpResponseMessage get = await Client.GetAsync("api/calendars/2032");
        Assert.Equal(corrected, HolidayCalendarJson.Load(await get.Content.ReadAsStringAsync()).Calendar);
        Assert.Equal("2", get.Headers.GetValues("X-Calendar-Revision").Single());
    }

    [Fact]
    public async Task Put_InvalidDocument_Returns400NamingEachPathAndWritesNothing()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        string body = """{"year":2033,"source":"s","holidays":[{"name":"a","from":"2033-05-05","to":"2033-05-01"}],"makeUpWorkdays":["2033-5-7"],"note":"x"}""";

        HttpResponseMessage response = await admin.PutAsync("api/calendars/2033", Json(body));

        JsonElement problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "holidays[0].to", "range-order");
        string[] fields = [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];
        Assert.Contains("makeUpWorkdays[0]", fields);
        Assert.Contains("note", fields);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("api/calendars/2033")).StatusCode);
    }

    [Fact]
    public async Task Put_MakeUpDayOnAWeekday_Returns400WeekendRequired()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        string body = """{"year":2034,"source":"s","holidays":[],"makeUpWorkdays":["2034-05-08"]}""";

        HttpResponseMessage response = await admin.PutAsync("api/calendars/2034", Json(body));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "makeUpWorkdays[0]", "weekend-required");
    }

    [Fact]
    public async Task Put_BodyOfAnotherYear_Returns400RouteMismatch()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);

        HttpResponseMessage response = await admin.PutAsync("api/calendars/2035", Json(HolidayCalendarJson.Write(NewYearOnly(2036))));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "year", "route-mismatch");
    }

    [Theory]
    [InlineData("1999")]
    [InlineData("2100")]
    [InlineData("abcd")]
    public async Task Put_YearOutsideRange_Returns400(string year)
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);

        HttpResponseMessage response = await admin.PutAsync($"api/calendars/{year}", Json(HolidayCalendarJson.Write(NewYearOnly(2037))));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "year", "range");
    }

    [Fact]
    public async Task Put_WithFunctionKey_Returns401()
    {
        HttpResponseMessage response = await Client.PutAsync("api/calendars/2038", Json(HolidayCalendarJson.Write(NewYearOnly(2038))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("api/calendars/2038")).StatusCode);
    }

    [Fact]
    public async Task Get_UnpublishedYear_Returns404Problem()
    {
        HttpResponseMessage response = await Client.GetAsync("api/calendars/2098");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Days_UnpublishedYear_AreByWeekdayAndProvisional()
    {
        JsonElement answer = JsonDocument.Parse(await Client.GetStringAsync("api/calendars/2097/days?from=2097-01-01&to=2097-01-07")).RootElement;

        Assert.True(answer.GetProperty("provisional").GetBoolean());
        Assert.All(answer.GetProperty("days").EnumerateArray(), d =>
        {
            DateOnly day = DateOnly.Parse(d.GetProperty("day").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(PlainDayTypes.Of(day).ToString().ToLowerInvariant(), d.GetProperty("dayType").GetString());
        });
    }

    [Fact]
    public async Task Days_RangeOutsideTheYear_Returns400()
    {
        HttpResponseMessage response = await Client.GetAsync("api/calendars/2026/days?from=2025-12-31&to=2026-01-02");

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "from", "in-year");
    }

    [Fact]
    public async Task CalendarSeed_Twice_PublishesTheShippedYearsOnce()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);

        await CalendarSeed.SeedAsync(admin);
        await CalendarSeed.SeedAsync(admin);

        JsonElement list = JsonDocument.Parse(await Client.GetStringAsync("api/calendars")).RootElement;
        foreach (int year in HolidayCalendarJson.ShippedYears)
        {
            Assert.Contains(list.GetProperty("calendars").EnumerateArray(), c => c.GetProperty("year").GetInt32() == year && c.GetProperty("revision").GetInt32() == 1);
        }

        // 2026-02-14 is the make-up Saturday before the Spring Festival holiday that starts on Sunday the 15th.
        JsonElement days = JsonDocument.Parse(await Client.GetStringAsync("api/calendars/2026/days?from=2026-02-14&to=2026-02-15")).RootElement;
        JsonElement[] both = [.. days.GetProperty("days").EnumerateArray()];
        Assert.False(days.GetProperty("provisional").GetBoolean());
        Assert.Equal("workday", both[0].GetProperty("dayType").GetString());
        Assert.True(both[0].GetProperty("makeUpWorkday").GetBoolean());
        Assert.Equal("holiday", both[1].GetProperty("dayType").GetString());
        Assert.StartsWith("春节", both[1].GetProperty("holiday").GetString(), StringComparison.Ordinal);
    }

    static HolidayCalendar NewYearOnly(int year) =>
        new(year, "test notice", [new HolidayPeriod("元旦", new DateOnly(year, 1, 1), new DateOnly(year, 1, 1))], []);

    /// <summary>元旦 plus a five-day 劳动节 from May 1 and the Saturday or Sunday before it as a make-up working day.</summary>
    static HolidayCalendar WithLabourDay(int year)
    {
        DateOnly weekendBefore = new DateOnly(year, 4, 30);
        while (weekendBefore.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            weekendBefore = weekendBefore.AddDays(-1);
        }

        return new(
            year,
            "test notice",
            [new HolidayPeriod("元旦", new DateOnly(year, 1, 1), new DateOnly(year, 1, 1)), new HolidayPeriod("劳动节", new DateOnly(year, 5, 1), new DateOnly(year, 5, 5))],
            [weekendBefore]);
    }

    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
