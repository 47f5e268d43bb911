using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Ingestion.ReadingJson;

namespace MeterToCash.Functions.Tests.MeterData;

/// <summary>
/// Month-to-date bands follow each customer's own tariff version and the holiday calendar's day type, through HTTP
/// (push, then the usage API). Every day is 96 intervals of 0.25 kWh, so a band's energy is its slot count ÷ 4; the
/// slot counts below are worked out from the sample tariffs' band hours (functions/MeterToCash.Domain/Tariffs/Samples).
/// </summary>
[Collection(BackendCollection.Name)]
public class TouBandingTests(BackendFixture backend)
{
    const decimal Slot = 0.25m;

    HttpClient Client => backend.Client;

    [Fact]
    public async Task Usage_CommercialSummerWorkday_SplitsIntoItsTariffsFourBands()
    {
        (string account, string meter) = await CreateCustomerAsync("SH-COM-TOU", "Commercial");
        DateOnly tuesday = new(2025, 7, 15);
        await PushDayAsync(meter, tuesday);

        JsonElement day = await UsageDayAsync(account, tuesday);

        // Summer: critical peak 12–14 (8 slots); peak 08–12, 14–15, 18–21 (32); flat 06–08, 15–18, 21–22 (24); valley 22–06 (32).
        AssertBands(day, criticalPeak: 8 * Slot, peak: 32 * Slot, flat: 24 * Slot, valley: 32 * Slot);
        Assert.False(day.GetProperty("provisional").GetBoolean());
        Assert.Equal(["SH-COM-TOU@sample-2024/Workday"], Bandings(day));
    }

    [Fact]
    public async Task Usage_ResidentialTouAndFlat_PeakValleyAndAllFlat()
    {
        (string touAccount, string touMeter) = await CreateCustomerAsync("SH-RES-TOU", "Residential");
        (string flatAccount, string flatMeter) = await CreateCustomerAsync("SH-RES-FLAT", "Residential");
        DateOnly tuesday = new(2025, 7, 15);
        await PushDayAsync(touMeter, tuesday);
        await PushDayAsync(flatMeter, tuesday);

        // Peak 06–22 (64 slots), valley 22–06 (32); the ladder tariff has one price and no band hours: all flat.
        AssertBands(await UsageDayAsync(touAccount, tuesday), criticalPeak: 0, peak: 64 * Slot, flat: 0, valley: 32 * Slot);
        AssertBands(await UsageDayAsync(flatAccount, tuesday), criticalPeak: 0, peak: 0, flat: 96 * Slot, valley: 0);
    }

    [Fact]
    public async Task Usage_CommercialHolidayMakeUpWorkdayAndWeekend_FollowTheCalendar()
    {
        (string account, string meter) = await CreateCustomerAsync("SH-COM-TOU", "Commercial");
        DateOnly nationalDay = new(2025, 10, 1), makeUpSaturday = new(2025, 10, 11), plainSaturday = new(2025, 10, 18);
        foreach (DateOnly day in new[] { nationalDay, makeUpSaturday, plainSaturday })
        {
            await PushDayAsync(meter, day);
        }

        // Outside summer, holidays and weekends: flat 06–22 (64), valley 22–06 (32). Workdays: peak 08–11 and 18–21 (24),
        // flat 06–08, 11–18, 21–22 (40), valley (32). 11 October 2025 is a Saturday worked in exchange for the National Day week.
        JsonElement holiday = await UsageDayAsync(account, nationalDay);
        AssertBands(holiday, criticalPeak: 0, peak: 0, flat: 64 * Slot, valley: 32 * Slot);
        Assert.Equal(["SH-COM-TOU@sample-2024/Holiday"], Bandings(holiday));
        JsonElement makeUp = await UsageDayAsync(account, makeUpSaturday);
        AssertBands(makeUp, criticalPeak: 0, peak: 24 * Slot, flat: 40 * Slot, valley: 32 * Slot);
        Assert.Equal(["SH-COM-TOU@sample-2024/Workday"], Bandings(makeUp));
        JsonElement weekend = await UsageDayAsync(account, plainSaturday);
        AssertBands(weekend, criticalPeak: 0, peak: 0, flat: 64 * Slot, valley: 32 * Slot);
        Assert.Equal(["SH-COM-TOU@sample-2024/Weekend"], Bandings(weekend));
    }

    [Fact]
    public async Task NewTariffVersionForPastDays_RebandsFromItsEffectiveDay_AsFreshIngestionWould()
    {
        string code = "TV" + CustomerJson.NextIds().AccountNo[1..];
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        await PublishAsync(admin, code, TariffSeed.Document(code, "commercial-tou"));
        (string account, string meter) = await CreateCustomerAsync(code, "Commercial");
        DateOnly monday = new(2025, 10, 13), tuesday = new(2025, 10, 14);
        await PushDayAsync(meter, monday);
        await PushDayAsync(meter, tuesday);
        AssertBands(await UsageDayAsync(account, tuesday), criticalPeak: 0, peak: 24 * Slot, flat: 40 * Slot, valley: 32 * Slot);

        // v2 from Tuesday: one season, peak 08–20 (48 slots), valley 20–08 (48).
        await PublishAsync(admin, code, SecondVersion(code, "v2", tuesday));

        JsonElement rebanded = await WaitForBandingAsync(account, tuesday, $"{code}@v2/Workday");
        AssertBands(rebanded, criticalPeak: 0, peak: 48 * Slot, flat: 0, valley: 48 * Slot);
        JsonElement before = await UsageDayAsync(account, monday);
        Assert.Equal([$"{code}@sample-2024/Workday"], Bandings(before));
        AssertBands(before, criticalPeak: 0, peak: 24 * Slot, flat: 40 * Slot, valley: 32 * Slot);

        (string freshAccount, string freshMeter) = await CreateCustomerAsync(code, "Commercial");
        await PushDayAsync(freshMeter, tuesday);
        JsonElement fresh = await UsageDayAsync(freshAccount, tuesday);
        Assert.Equal(rebanded.GetProperty("energy").ToString(), fresh.GetProperty("energy").ToString());
        Assert.Equal(Bandings(rebanded), Bandings(fresh));
    }

    [Fact]
    public async Task YearWithoutCalendar_BandsProvisionallyByWeekday_ThenRecomputesWhenTheYearIsPublished()
    {
        (string account, string meter) = await CreateCustomerAsync("SH-COM-TOU", "Commercial");
        DateOnly nationalDay2024 = new(2024, 10, 1); // a Tuesday, and a holiday once 2024's calendar is published
        await PushDayAsync(meter, nationalDay2024);

        JsonElement provisional = await UsageDayAsync(account, nationalDay2024);
        Assert.True(provisional.GetProperty("provisional").GetBoolean());
        Assert.Equal(["SH-COM-TOU@sample-2024/Workday~p"], Bandings(provisional));
        AssertBands(provisional, criticalPeak: 0, peak: 24 * Slot, flat: 40 * Slot, valley: 32 * Slot);

        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpResponseMessage published = await admin.PutAsync("api/calendars/2024", new StringContent(Calendar2024, Encoding.UTF8, "application/json"));
        Assert.True(published.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await published.Content.ReadAsStringAsync());

        JsonElement recomputed = await WaitForBandingAsync(account, nationalDay2024, "SH-COM-TOU@sample-2024/Holiday");
        Assert.False(recomputed.GetProperty("provisional").GetBoolean());
        AssertBands(recomputed, criticalPeak: 0, peak: 0, flat: 64 * Slot, valley: 32 * Slot);
    }

    [Fact]
    public async Task ManualRecompute_RunTwice_SecondChangesNothing()
    {
        (string account, string meter) = await CreateCustomerAsync("SH-COM-TOU", "Commercial", area: "TA0011");
        DateOnly day = new(2025, 11, 3);
        await PushDayAsync(meter, day);
        JsonElement before = await UsageDayAsync(account, day);

        JsonElement first = await RecomputeAsync(day, "TA0011");
        JsonElement second = await RecomputeAsync(day, "TA0011");

        Assert.Equal(1, first.GetProperty("summary").GetProperty("areaDays").GetInt32());
        Assert.True(first.GetProperty("summary").GetProperty("curves").GetInt32() >= 1);
        Assert.Equal(0, second.GetProperty("summary").GetProperty("entriesChanged").GetInt32());
        Assert.Equal(before.GetProperty("energy").ToString(), (await UsageDayAsync(account, day)).GetProperty("energy").ToString());
    }

    [Theory]
    [InlineData("""{"to":"2025-01-02"}""", "from", "date-format")]
    [InlineData("""{"from":"2025-01-02","to":"2025-01-01"}""", "to", "range-order")]
    [InlineData("""{"from":"2020-01-01","to":"2025-01-01"}""", "to", "range-too-long")]
    [InlineData("""{"from":"2026-11-01","to":"2027-01-01"}""", "to", "not-future")]
    [InlineData("""{"from":"0001-01-01","to":"2025-01-01"}""", "from", "date-format")]
    [InlineData("""{"from":"2025-01-01","to":"2025-01-02","areas":["TA/1"]}""", "areas[0]", "code-format")]
    public async Task StartRecompute_BadBody_Returns400NamingField(string body, string field, string rule) =>
        await Problem.AssertAsync(await Client.PostAsync("api/meter-data/recomputations", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, field, rule);

    [Fact]
    public async Task StartRecompute_UnknownArea_Returns422() =>
        await Problem.AssertAsync(
            await Client.PostAsync("api/meter-data/recomputations", new StringContent("""{"from":"2025-01-01","to":"2025-01-02","areas":["TA9999"]}""", Encoding.UTF8, "application/json")),
            HttpStatusCode.UnprocessableEntity,
            "areas",
            "unknown-area");

    [Theory]
    [InlineData("recompute-nosuch")]
    [InlineData("daily-vee-20250101")]
    public async Task GetRecompute_UnknownId_Returns404(string id) =>
        await Problem.AssertAsync(await Client.GetAsync($"api/meter-data/recomputations/{id}"), HttpStatusCode.NotFound);

    /// <summary>2024 as the State Council announced it (国办发明电〔2023〕7号).</summary>
    const string Calendar2024 = """
        {"year":2024,"source":"国办发明电〔2023〕7号","holidays":[
          {"name":"元旦","from":"2024-01-01","to":"2024-01-01"},
          {"name":"春节","from":"2024-02-10","to":"2024-02-17"},
          {"name":"清明节","from":"2024-04-04","to":"2024-04-06"},
          {"name":"劳动节","from":"2024-05-01","to":"2024-05-05"},
          {"name":"端午节","from":"2024-06-10","to":"2024-06-10"},
          {"name":"中秋节","from":"2024-09-15","to":"2024-09-17"},
          {"name":"国庆节","from":"2024-10-01","to":"2024-10-07"}],
         "makeUpWorkdays":["2024-02-04","2024-02-18","2024-04-07","2024-04-28","2024-05-11","2024-09-14","2024-09-29","2024-10-12"]}
        """;

    async Task<(string Account, string Meter)> CreateCustomerAsync(string tariffCode, string customerClass, string area = "TA0001")
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter, area);
        customer["class"] = customerClass;
        customer["paymentMode"] = "Postpaid";
        customer["servicePoints"]![0]!["tariffs"]![0]!["tariffCode"] = tariffCode;
        using HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (account, meter);
    }

    async Task PushDayAsync(string meter, DateOnly day)
    {
        using HttpResponseMessage response = await Client.PostAsync("api/meter-readings", Bytes(Document(meter, day, Day(Slot))));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    async Task<JsonElement> UsageDayAsync(string account, DateOnly day)
    {
        using HttpResponseMessage response = await Client.GetAsync($"api/customers/{account}/usage?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("days")[0].Clone();
    }

    /// <summary>Polls the usage API until the day is banded by <paramref name="banding"/> (a recomputation runs after the cache lifetime the test host sets).</summary>
    async Task<JsonElement> WaitForBandingAsync(string account, DateOnly day, string banding)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        JsonElement current;
        do
        {
            current = await UsageDayAsync(account, day);
            if (Bandings(current).SequenceEqual([banding]))
            {
                return current;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{day:yyyy-MM-dd} is still banded {string.Join(", ", Bandings(current))}, not {banding}.");
        return current;
    }

    async Task<JsonElement> RecomputeAsync(DateOnly day, string area)
    {
        using HttpResponseMessage started = await Client.PostAsync("api/meter-data/recomputations", JsonContent.Create(new { from = $"{day:yyyy-MM-dd}", to = $"{day:yyyy-MM-dd}", areas = new[] { area } }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string location = started.Headers.Location!.ToString().TrimStart('/');
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            JsonElement status = JsonDocument.Parse(await Client.GetStringAsync(location)).RootElement.Clone();
            if (status.GetProperty("status").GetString() is "Completed" or "Failed")
            {
                Assert.Equal("Completed", status.GetProperty("status").GetString());
                return status;
            }

            await Task.Delay(250);
        }

        Assert.Fail("The recomputation did not complete within 60 s.");
        return default;
    }

    static async Task PublishAsync(HttpClient admin, string code, JsonObject document)
    {
        string version = document["versions"]![0]!["version"]!.GetValue<string>();
        using HttpResponseMessage response = await admin.PutAsync($"api/tariffs/{code}/versions/{version}", JsonContent.Create(document));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The commercial sample as a second version from <paramref name="from"/>, with one season: peak 08–20, valley 20–08.</summary>
    static JsonObject SecondVersion(string code, string label, DateOnly from)
    {
        JsonObject document = TariffSeed.Document(code, "commercial-tou");
        JsonObject version = document["versions"]![0]!.AsObject();
        version["version"] = label;
        version["effectiveFrom"] = from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        version["touSchedule"] = JsonNode.Parse("""
            {"seasons":[{"name":"all year","months":[1,2,3,4,5,6,7,8,9,10,11,12],"windows":[
              {"band":"peak","from":"08:00","to":"20:00"},{"band":"valley","from":"20:00","to":"08:00"}]}]}
            """);
        return document;
    }

    static string[] Bandings(JsonElement day) => [.. day.GetProperty("bandings").EnumerateArray().Select(b => b.GetString()!)];

    static void AssertBands(JsonElement day, decimal criticalPeak, decimal peak, decimal flat, decimal valley)
    {
        JsonElement energy = day.GetProperty("energy");
        Assert.Equal(
            (criticalPeak, peak, flat, valley),
            (energy.GetProperty("criticalPeak").GetDecimal(), energy.GetProperty("peak").GetDecimal(), energy.GetProperty("flat").GetDecimal(), energy.GetProperty("valley").GetDecimal()));
    }
}
