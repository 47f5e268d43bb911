using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using static MeterToCash.Functions.Tests.Ingestion.ReadingJson;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>Register reads through the push API into MeterRegisters and back through the history API.</summary>
[Collection(BackendCollection.Name)]
public class RegisterReadTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task PushRegisters_NewReads_StoredWithPrimaryValueDeltaAndRuleOutcomes()
    {
        string meter = await CreateMeterAsync(Client, ctRatio: 2);
        DateOnly day = new(2025, 5, 1);
        JsonObject document = Registers(meter,
            Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 1010.5m),
            Register(ActiveImportTotalRegister, Midnight(day), 1000.5m),
            Register(ActiveImportPeakRegister, Midnight(day.AddDays(1)), 500m));

        JsonElement push = await PostAsync(document);

        JsonElement counts = push.GetProperty("counts");
        Assert.Equal(3, counts.GetProperty("registers").GetInt32());
        Assert.Equal(3, counts.GetProperty("received").GetInt32());
        Assert.Equal(3, counts.GetProperty("accepted").GetInt32());
        JsonElement history = await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-01&to=2025-05-02");
        JsonElement[] reads = history.GetProperty("reads").EnumerateArray().ToArray();
        Assert.Equal(3, reads.Length);
        JsonElement second = reads.Single(r => r.GetProperty("register").GetString() == "total" && r.GetProperty("readAt").GetString() == "2025-05-02T00:00:00+08:00");
        Assert.Equal(1010.5m, second.GetProperty("value").GetDecimal());
        Assert.Equal(2021m, second.GetProperty("primaryValue").GetDecimal());
        Assert.Equal("Valid", second.GetProperty("quality").GetString());
        JsonElement delta = second.GetProperty("delta");
        Assert.Equal("Normal", delta.GetProperty("kind").GetString());
        Assert.Equal(10m, delta.GetProperty("value").GetDecimal());
        Assert.Equal(20m, delta.GetProperty("primaryValue").GetDecimal());
        Assert.Equal("2025-05-01T00:00:00+08:00", delta.GetProperty("previousReadAt").GetString());
        Dictionary<string, string?> rules = second.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!, r => r.GetProperty("outcome").GetString());
        Assert.Equal("Pass", rules["RegisterRollback"]);
        Assert.Equal("Pass", rules["FutureTimestamp"]);
        // No curves for the day: the interval-sum check could not be made, and says so.
        Assert.Equal("NotEvaluated", second.GetProperty("intervalSum").GetProperty("outcome").GetString());
        Assert.False(rules.ContainsKey("IntervalSumMismatch"));

        JsonElement peak = await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-01&to=2025-05-02&register=peak");
        Assert.Equal(1, peak.GetProperty("count").GetInt32());
        JsonElement firstDayOnly = await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-01&to=2025-05-01");
        Assert.Equal(1, firstDayOnly.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task PushRegisters_Redelivery_DuplicateAndNothingWritten_ConflictingValueQuarantined()
    {
        string meter = await CreateMeterAsync(Client);
        DateOnly day = new(2025, 5, 3);
        JsonObject document = Registers(meter,
            Register(ActiveImportTotalRegister, Midnight(day), 200m),
            Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 210m));
        TableClient table = new(backend.StorageConnectionString, "MeterRegisters");

        await PostAsync(document);
        string[] etags = await ETagsAsync(table, meter);
        string[] copied = await FrozenCopyETagsAsync(meter);
        Assert.Equal(2, copied.Length); // both reads are at a midnight: copied for billing under the meter's area
        string before = (await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-03&to=2025-05-04")).GetRawText();
        JsonElement again = await PostAsync(document);
        JsonElement conflict = await PostAsync(Registers(meter, Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 211m)));

        Assert.Equal(2, again.GetProperty("counts").GetProperty("duplicate").GetInt32());
        Assert.Equal(0, again.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.Equal(etags, await ETagsAsync(table, meter));
        Assert.Equal(copied, await FrozenCopyETagsAsync(meter));
        Assert.Equal(before, (await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-03&to=2025-05-04")).GetRawText());
        JsonElement item = Assert.Single(conflict.GetProperty("items").EnumerateArray());
        Assert.Equal("Quarantined", item.GetProperty("status").GetString());
        Assert.Equal("ConflictRejected", item.GetProperty("reason").GetString());
        Assert.Equal("register[0]", item.GetProperty("position").GetString());
        Assert.Equal(etags, await ETagsAsync(table, meter));
    }

    [Fact]
    public async Task PushRegisters_Rollback_QuarantinedWithReasonAndNotStored()
    {
        string meter = await CreateMeterAsync(Client);
        DateOnly day = new(2025, 5, 5);
        await PostAsync(Registers(meter, Register(ActiveImportTotalRegister, Midnight(day), 1000m, meterDigits: 6)));

        JsonElement push = await PostAsync(Registers(meter, Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 900m, meterDigits: 6)));

        JsonElement item = Assert.Single(push.GetProperty("items").EnumerateArray());
        Assert.Equal("Quarantined", item.GetProperty("status").GetString());
        Assert.Equal("RegisterRollback", item.GetProperty("reason").GetString());
        Assert.Equal("total", item.GetProperty("register").GetString());
        BlobClient blob = new BlobContainerClient(backend.StorageConnectionString, "meter-quarantine").GetBlobClient(push.GetProperty("quarantineBlob").GetString());
        JsonElement quarantined = JsonDocument.Parse((await blob.DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("items")[0];
        Assert.Equal("RegisterRollback", quarantined.GetProperty("reason").GetString());
        Assert.Equal(900m, quarantined.GetProperty("value").GetDecimal());
        Assert.Equal(1, (await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-05&to=2025-05-06")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task PushRegisters_GenuineRolloverWithMeterDigits_AcceptedWithRolloverDelta()
    {
        string meter = await CreateMeterAsync(Client);
        DateOnly day = new(2025, 5, 7);

        JsonElement push = await PostAsync(Registers(meter,
            Register(ActiveImportTotalRegister, Midnight(day), 999_990m, meterDigits: 6),
            Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 5m, meterDigits: 6)));

        Assert.Equal(2, push.GetProperty("counts").GetProperty("accepted").GetInt32());
        JsonElement read = (await GetJsonAsync($"api/meters/{meter}/registers?from=2025-05-08&to=2025-05-08")).GetProperty("reads")[0];
        Assert.Equal("Rollover", read.GetProperty("delta").GetProperty("kind").GetString());
        Assert.Equal(15m, read.GetProperty("delta").GetProperty("value").GetDecimal());
        Assert.Equal(6, read.GetProperty("meterDigits").GetInt32());
    }

    [Fact]
    public async Task PushRegisters_WithTheDaysIntervals_IntervalSumPassesOrFlagsSuspect()
    {
        string matching = await CreateMeterAsync(Client, ctRatio: 2);
        string mismatching = await CreateMeterAsync(Client, ctRatio: 2);
        DateOnly day = new(2025, 5, 9);
        // 96 × 0.25 = 24 kWh meter side (48 primary). The matching register advances 24, the other 30.
        JsonObject delivery = Combine(
            Combine(Document(matching, day, Day(0.25m)), Registers(matching, Register(ActiveImportTotalRegister, Midnight(day), 100m), Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 124m))),
            Combine(Document(mismatching, day, Day(0.25m)), Registers(mismatching, Register(ActiveImportTotalRegister, Midnight(day), 100m), Register(ActiveImportTotalRegister, Midnight(day.AddDays(1)), 130m))));

        JsonElement push = await PostAsync(delivery);

        Assert.Equal(4, push.GetProperty("counts").GetProperty("registers").GetInt32());
        JsonElement suspect = Assert.Single(push.GetProperty("items").EnumerateArray());
        Assert.Equal("Suspect", suspect.GetProperty("status").GetString());
        Assert.Equal("IntervalSumMismatch", suspect.GetProperty("reason").GetString());
        Assert.Equal(mismatching.ToUpperInvariant(), suspect.GetProperty("meter").GetString());

        JsonElement good = (await GetJsonAsync($"api/meters/{matching}/registers?from=2025-05-10&to=2025-05-10")).GetProperty("reads")[0];
        Assert.Equal("Pass", good.GetProperty("intervalSum").GetProperty("outcome").GetString());
        Assert.Equal(48m, good.GetProperty("intervalSum").GetProperty("registerDelta").GetDecimal());
        Assert.Equal(48m, good.GetProperty("intervalSum").GetProperty("intervalSum").GetDecimal());
        JsonElement bad = (await GetJsonAsync($"api/meters/{mismatching}/registers?from=2025-05-10&to=2025-05-10")).GetProperty("reads")[0];
        Assert.Equal("Fail", bad.GetProperty("intervalSum").GetProperty("outcome").GetString());
        Assert.Equal(60m, bad.GetProperty("intervalSum").GetProperty("registerDelta").GetDecimal());
        Assert.Equal(48m, bad.GetProperty("intervalSum").GetProperty("intervalSum").GetDecimal());
        Assert.Equal("Questionable", bad.GetProperty("quality").GetString());
        Assert.Contains(bad.GetProperty("rules").EnumerateArray(), r => r.GetProperty("rule").GetString() == "IntervalSumMismatch" && r.GetProperty("outcome").GetString() == "Fail");
    }

    [Fact]
    public async Task PushRegisters_UnknownMeter_Quarantined()
    {
        string unknown = "NOSUCH" + Guid.NewGuid().ToString("N")[..12];

        JsonElement push = await PostAsync(Registers(unknown, Register(ActiveImportTotalRegister, Midnight(new DateOnly(2025, 5, 1)), 1m)));

        Assert.Equal("UnknownMeter", Assert.Single(push.GetProperty("items").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("api/meters/M1/registers?to=2025-05-01", "from", "date-format")]
    [InlineData("api/meters/M1/registers?from=2025-05-02&to=2025-05-01", "to", "range-order")]
    [InlineData("api/meters/M1/registers?from=2025-01-01&to=2025-04-04", "to", "range-too-long")]
    [InlineData("api/meters/M1/registers?from=2025-05-01&to=2025-05-01&register=shoulder", "register", "register-code")]
    [InlineData("api/meters/M1/registers?from=2025-05-01&to=2025-05-01&channel=XX", "channel", "channel-code")]
    [InlineData("api/meters/M!1/registers?from=2025-05-01&to=2025-05-01", "meterNo", "meter-number-format")]
    public async Task GetRegisters_BadParameters_Returns400NamingField(string url, string field, string rule) =>
        await Problem.AssertAsync(await Client.GetAsync(url), HttpStatusCode.BadRequest, field, rule);

    [Fact]
    public async Task GetRegisters_UnknownMeter_Returns404() =>
        await Problem.AssertAsync(await Client.GetAsync("api/meters/NOSUCHMETER999/registers?from=2025-05-01&to=2025-05-01"), HttpStatusCode.NotFound);

    static async Task<string[]> ETagsAsync(TableClient table, string meter)
    {
        List<string> etags = [];
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {meter.ToUpperInvariant()}")))
        {
            etags.Add(e.RowKey + " " + e.ETag);
        }

        return [.. etags];
    }

    /// <summary>The meter's rows in the frozen-read copy, in every area and day, with their ETags.</summary>
    async Task<string[]> FrozenCopyETagsAsync(string meter)
    {
        TableServiceClient service = new(backend.StorageConnectionString);
        string from = meter.ToUpperInvariant() + "!", to = meter.ToUpperInvariant() + "!~";
        List<string> etags = [];
        string monthTables = TableServiceClient.CreateQueryFilter($"TableName ge {MeterDataKeys.FrozenRegistersTablePrefix} and TableName lt {MeterDataKeys.FrozenRegistersTablePrefix + "~"}");
        await foreach (Azure.Data.Tables.Models.TableItem month in service.QueryAsync(monthTables))
        {
            await foreach (TableEntity e in service.GetTableClient(month.Name).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to}")))
            {
                etags.Add(month.Name + "/" + e.PartitionKey + "/" + e.RowKey + " " + e.ETag);
            }
        }

        return [.. etags];
    }

    Task<JsonElement> PostAsync(JsonNode document) => ReadingJson.PostAsync(Client, document);

    Task<JsonElement> GetJsonAsync(string url) => HttpJson.GetOkAsync(Client, url);
}
