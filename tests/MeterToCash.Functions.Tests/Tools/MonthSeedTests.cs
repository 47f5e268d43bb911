using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.Tools;

/// <summary>The demo's month seed, run against the fixture host for a small area of its own.</summary>
[Collection(BackendCollection.Name)]
public class MonthSeedTests(BackendFixture backend)
{
    static readonly DateOnly Month = new(2025, 11, 1);

    HttpClient Client => backend.Client;

    [Fact]
    public async Task SeedMonth_SmallArea_RegistersAtEveryMidnightMatchCurvesAndSecondRunIsAllDuplicates()
    {
        string area = await AreaWithHouseholdsAsync("TS", 4);

        MonthSeed seeder = new(Client);

        MonthSeedResult first = await seeder.SeedAsync(Month, [area]);

        Assert.Equal(4, first.Meters);
        Assert.Equal(30, first.Documents);
        Assert.Equal(0, first.Quarantined);
        Assert.True(first.Accepted > 0);
        string faulted = Assert.Single(first.Faults, f => f.Value == SeedFault.MissingDay).Key;
        string clean = first.Faults.Where(f => f.Value == SeedFault.None).Select(f => f.Key).Order(StringComparer.Ordinal).First();

        // A read of the total, peak and valley registers at each of the 31 midnights 2025-11-01 … 2025-12-01.
        JsonElement[] totals = await ReadsAsync(clean, "total");
        DateTimeOffset[] midnights = [.. Enumerable.Range(0, 31).Select(d => new DateTimeOffset(Month.AddDays(d).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)))];
        Assert.Equal(midnights, totals.Select(r => r.GetProperty("readAt").GetDateTimeOffset()));
        Assert.Equal(31, (await ReadsAsync(clean, "peak")).Length);
        Assert.Equal(31, (await ReadsAsync(clean, "valley")).Length);
        Assert.Equal(29, (await ReadsAsync(faulted, "total")).Length);

        // The month's interval sum (month-to-date, primary side) is the register advance × CT×PT.
        decimal advance = totals[^1].GetProperty("primaryValue").GetDecimal() - totals[0].GetProperty("primaryValue").GetDecimal();
        JsonElement monthToDate = await MonthToDateAsync(clean, expectDays: 30);
        Assert.Equal(advance, monthToDate.GetProperty("energy").GetProperty("total").GetDecimal());
        Assert.True(advance > 0);

        MonthSeedResult second = await seeder.SeedAsync(Month, [area]);

        Assert.Equal(first.Intervals, second.Intervals);
        Assert.Equal(first.Registers, second.Registers);
        Assert.Equal(0, second.Accepted);
        Assert.Equal(0, second.Suspect);
        Assert.Equal(second.Intervals + second.Registers, second.Duplicate);
        Assert.Equal(monthToDate.GetRawText(), (await MonthToDateAsync(clean, expectDays: 30)).GetRawText());
    }

    [Fact]
    public async Task SeedMonth_MoreMetersThanADocumentHolds_EachDayInSeveralDocumentsEveryMeterStored()
    {
        string area = await AreaWithHouseholdsAsync("TM", 3);

        MonthSeedResult result = await new MonthSeed(Client, metersPerDocument: 2).SeedAsync(Month, [area]);

        Assert.Equal((3, 60, 0), (result.Meters, result.Documents, result.Quarantined));
        foreach ((string meterNo, SeedFault fault) in result.Faults)
        {
            Assert.Equal(fault == SeedFault.MissingDay ? 29 : 31, (await ReadsAsync(meterNo, "total")).Length);
        }
    }

    // A transformer area of this test run's own (prefix + process id) holding <households> residential customers.
    async Task<string> AreaWithHouseholdsAsync(string prefix, int households)
    {
        string area = $"{prefix}{Environment.ProcessId % 100000:D5}";
        Assert.True((await Client.PutAsJsonAsync($"api/network/areas/{area}", new { name = "月度种子台区", feederCode = "FD001", ratedKva = 400 })).IsSuccessStatusCode);
        for (int i = 0; i < households; i++)
        {
            (string accountNo, string meterNo) = CustomerJson.NextIds();
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(accountNo, meterNo, area)))).StatusCode);
        }

        return area;
    }

    async Task<JsonElement[]> ReadsAsync(string meterNo, string register)
    {
        JsonElement history = JsonDocument.Parse(await Client.GetStringAsync($"api/meters/{meterNo}/registers?from=2025-11-01&to=2025-12-01&channel=AI&register={register}")).RootElement;
        return [.. history.GetProperty("reads").EnumerateArray()];
    }

    async Task<JsonElement> MonthToDateAsync(string meterNo, int expectDays)
    {
        JsonElement body = default;
        for (int attempt = 0; attempt < 60; attempt++)
        {
            body = JsonDocument.Parse(await Client.GetStringAsync($"api/meters/{meterNo}/month-to-date?month={Month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}")).RootElement;
            if (body.GetProperty("days").GetInt32() == expectDays)
            {
                return body;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"Month-to-date of {meterNo} did not reach {expectDays} days: {body}");
        return body;
    }
}
