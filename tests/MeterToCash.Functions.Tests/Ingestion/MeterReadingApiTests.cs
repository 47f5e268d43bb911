using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MeterToCash.Functions.Tests.Infrastructure;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>Meter-data push and query through HTTP, against Azurite and the LocalHost.</summary>
[Collection(BackendCollection.Name)]
public class MeterReadingApiTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task PushReadings_FullDayWithEstimateAndNegative_CurveReadsBackWithCtAndVeeFlags()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client, ctRatio: 2);
        DateOnly day = new(2025, 4, 1);
        decimal?[] values = ReadingJson.Day(0.25m);
        values[10] = -1m;
        JsonObject document = ReadingJson.Document(meter, day, values, new Dictionary<int, string> { [20] = "3.8.0" });

        JsonElement push = await PostAsync(document);

        JsonElement counts = push.GetProperty("counts");
        Assert.Equal(96, counts.GetProperty("received").GetInt32());
        Assert.Equal(94, counts.GetProperty("accepted").GetInt32());
        Assert.Equal(1, counts.GetProperty("estimated").GetInt32());
        Assert.Equal(1, counts.GetProperty("quarantined").GetInt32());
        JsonElement negative = push.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("status").GetString() == "Quarantined");
        Assert.Equal("NegativeConsumption", negative.GetProperty("reason").GetString());

        // Accepted items are only counted; the estimate and the quarantined value are listed with their positions.
        Assert.Equal(["interval[10]", "interval[20]"], push.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("position").GetString()).Order(StringComparer.Ordinal));

        JsonElement curve = await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-01&channel=AI");
        JsonElement[] points = curve.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(96, points.Length);
        Assert.Equal(0.5m, points[0].GetProperty("value").GetDecimal()); // 0.25 × CT 2
        Assert.Equal("Valid", points[0].GetProperty("quality").GetString());
        Assert.Equal(1, points[0].GetProperty("version").GetInt32());
        Assert.Equal("2025-04-01T00:00:00+08:00", points[0].GetProperty("start").GetString());
        Assert.False(points[10].TryGetProperty("value", out _)); // nulls are left out of responses
        Assert.Equal("Estimated", points[20].GetProperty("quality").GetString());
        Assert.Equal(95 * 0.5m, curve.GetProperty("total").GetDecimal());
        Assert.Equal(1, curve.GetProperty("revision").GetInt64());
        Assert.False(string.IsNullOrEmpty(curve.GetProperty("eTag").GetString()));

        // With a full day of history in the delivery's days, a value far above it is a spike: stored, but Questionable and flagged.
        await PostAsync(ReadingJson.Document(meter, day.AddDays(1), ReadingJson.Day(0.25m)));
        JsonObject spike = ReadingJson.Combine(ReadingJson.Document(meter, day.AddDays(1), [0.25m]), ReadingJson.Document(meter, day.AddDays(2), [50m]));
        JsonElement second = await PostAsync(spike);
        Assert.Equal(1, second.GetProperty("counts").GetProperty("suspect").GetInt32());
        Assert.Equal(1, second.GetProperty("counts").GetProperty("duplicate").GetInt32());
        JsonElement next = await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-03");
        JsonElement flagged = next.GetProperty("points")[0];
        Assert.Equal("Questionable", flagged.GetProperty("quality").GetString());
        Assert.Contains("Spike", flagged.GetProperty("failedRules").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task PushReadings_SameBatchThreeTimes_SecondAndThirdChangeNothing()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 4, 3);
        JsonObject document = ReadingJson.Document(meter, day, ReadingJson.Day(0.3m));
        TableClient curves = new(backend.StorageConnectionString, "MeterCurves20250403");
        TableClient totals = new(backend.StorageConnectionString, "MeterDayTotals");

        JsonElement first = await PostAsync(document);
        ETag curveETag = (await curves.GetEntityAsync<TableEntity>("TA0001-20250403", $"{meter.ToUpperInvariant()}-AI")).Value.ETag;
        ETag totalETag = (await totals.GetEntityAsync<TableEntity>("TA0001-202504", "AI-03")).Value.ETag;
        JsonElement second = await PostAsync(document);
        JsonElement third = await PostAsync(document);

        Assert.Equal(96, first.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.False(first.GetProperty("redelivery").GetBoolean());
        Assert.Equal(96, second.GetProperty("counts").GetProperty("duplicate").GetInt32());
        Assert.True(second.GetProperty("redelivery").GetBoolean());
        Assert.Equal(second.GetProperty("counts").GetRawText(), third.GetProperty("counts").GetRawText());
        Assert.Equal(first.GetProperty("rawBlob").GetString(), third.GetProperty("rawBlob").GetString());
        Assert.Equal(curveETag, (await curves.GetEntityAsync<TableEntity>("TA0001-20250403", $"{meter.ToUpperInvariant()}-AI")).Value.ETag);
        Assert.Equal(totalETag, (await totals.GetEntityAsync<TableEntity>("TA0001-202504", "AI-03")).Value.ETag);
        JsonElement curve = await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-03");
        Assert.Equal(curveETag.ToString(), curve.GetProperty("eTag").GetString());
        Assert.Equal(1, curve.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task PushReadings_CurveStoredButNotCounted_RedeliveryMergesIntoStoredCurveAndRepairsTotals()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 4, 21);
        TableClient curves = new(backend.StorageConnectionString, "MeterCurves20250421");
        TableClient totals = new(backend.StorageConnectionString, "MeterDayTotals");
        await PostAsync(ReadingJson.Document(meter, day, ReadingJson.Day(0.3m), new Dictionary<int, string> { [20] = "3.8.0" }));

        // A delivery that died after its curve transaction and before its month-to-date write: the curve is stored, the
        // day block does not count it. The pipeline reads only curves the block lists, so the redelivery takes this one
        // as new; its Add must conflict, re-read the stored curve and merge into it instead of losing or doubling values.
        await totals.DeleteEntityAsync("TA0001-202504", "AI-21");
        JsonElement redelivered = await PostAsync(ReadingJson.Document(meter, day, ReadingJson.Day(0.3m)));

        JsonElement counts = redelivered.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("accepted").GetInt32()); // the actual value that replaces the estimate
        Assert.Equal(95, counts.GetProperty("duplicate").GetInt32());
        Assert.Equal(0, counts.GetProperty("quarantined").GetInt32());
        JsonElement curve = await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-21");
        Assert.Equal(2, curve.GetProperty("revision").GetInt64());
        JsonElement replaced = curve.GetProperty("points")[20];
        Assert.Equal("Valid", replaced.GetProperty("quality").GetString());
        Assert.Equal(2, replaced.GetProperty("version").GetInt32());
        Assert.Equal(96 * 0.3m, curve.GetProperty("total").GetDecimal());
        JsonElement month = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-04");
        Assert.Equal(96 * 0.3m, month.GetProperty("energy").GetProperty("total").GetDecimal());
        Assert.Equal(0m, month.GetProperty("estimated").GetProperty("total").GetDecimal());

        // Counted again, the next redelivery reads the stored curve and changes nothing.
        ETag curveETag = (await curves.GetEntityAsync<TableEntity>($"TA0001-20250421", $"{meter.ToUpperInvariant()}-AI")).Value.ETag;
        ETag totalETag = (await totals.GetEntityAsync<TableEntity>("TA0001-202504", "AI-21")).Value.ETag;
        JsonElement again = await PostAsync(ReadingJson.Document(meter, day, ReadingJson.Day(0.3m)));
        Assert.Equal(96, again.GetProperty("counts").GetProperty("duplicate").GetInt32());
        Assert.Equal(curveETag, (await curves.GetEntityAsync<TableEntity>($"TA0001-20250421", $"{meter.ToUpperInvariant()}-AI")).Value.ETag);
        Assert.Equal(totalETag, (await totals.GetEntityAsync<TableEntity>("TA0001-202504", "AI-21")).Value.ETag);
    }

    [Fact]
    public async Task PushReadings_CurveWithInt64Revision_ReadsItAndCountsOn()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        TableClient curves = new(backend.StorageConnectionString, "MeterCurves20250422");
        await PostAsync(ReadingJson.Document(meter, new DateOnly(2025, 4, 22), ReadingJson.Day(0.3m), new Dictionary<int, string> { [5] = "3.8.0" }));
        string row = $"{meter.ToUpperInvariant()}-AI";
        Assert.IsType<int>((await curves.GetEntityAsync<TableEntity>("TA0001-20250422", row)).Value["Revision"]);

        // Curves written before 2026-12 hold the revision as an Int64.
        await curves.UpdateEntityAsync(new TableEntity("TA0001-20250422", row) { ["Revision"] = 7L }, ETag.All, TableUpdateMode.Merge);
        Assert.Equal(7, (await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-22")).GetProperty("revision").GetInt64());

        await PostAsync(ReadingJson.Document(meter, new DateOnly(2025, 4, 22), ReadingJson.Day(0.3m)));
        Assert.Equal(8, (await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-22")).GetProperty("revision").GetInt64());
        Assert.Equal(8, (await curves.GetEntityAsync<TableEntity>("TA0001-20250422", row)).Value["Revision"]);
    }

    [Fact]
    public async Task PushReadings_ConcurrentDeliveriesToOneCurve_KeepEveryValueAndTotal()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 4, 8);

        // Four quarters of one day's curve at once: each write is ETag-conditional, so losers re-read and re-merge.
        JsonElement[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(q =>
            PostAsync(ReadingJson.Document(meter, day, Enumerable.Repeat<decimal?>(0.25m, 24).ToArray(), firstSlot: q * 24))));

        Assert.All(results, r => Assert.Equal(24, r.GetProperty("counts").GetProperty("accepted").GetInt32()));
        JsonElement curve = await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-08");
        Assert.All(curve.GetProperty("points").EnumerateArray(), p => Assert.Equal(0.25m, p.GetProperty("value").GetDecimal()));
        JsonElement month = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-04");
        Assert.Equal(24m, month.GetProperty("energy").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task PushReadings_ConcurrentDeliveriesToStoredCurve_KeepEveryValueAndTotal()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 4, 23);
        await PostAsync(ReadingJson.Document(meter, day, Enumerable.Repeat<decimal?>(0.25m, 24).ToArray()));

        // The curve exists: every delivery reads it with the same ETag, all but one lose the race to write it (412),
        // re-read and merge again, and none of their values is lost from the curve or from the month's total.
        JsonElement[] results = await Task.WhenAll(Enumerable.Range(1, 3).Select(q =>
            PostAsync(ReadingJson.Document(meter, day, Enumerable.Repeat<decimal?>(0.25m, 24).ToArray(), firstSlot: q * 24))));

        Assert.All(results, r => Assert.Equal(24, r.GetProperty("counts").GetProperty("accepted").GetInt32()));
        JsonElement curve = await GetJsonAsync($"api/meters/{meter}/curve?day=2025-04-23");
        Assert.All(curve.GetProperty("points").EnumerateArray(), p => Assert.Equal(0.25m, p.GetProperty("value").GetDecimal()));
        Assert.Equal(4, curve.GetProperty("revision").GetInt64());
        JsonElement month = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-04");
        Assert.Equal(24m, month.GetProperty("energy").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task PushReadings_UnknownMeter_QuarantinedWithReasonAndQuarantineBlob()
    {
        string unknown = "NOSUCH" + Guid.NewGuid().ToString("N")[..12];
        JsonObject document = ReadingJson.Document(unknown, new DateOnly(2025, 4, 4), [0.1m, 0.2m]);

        JsonElement push = await PostAsync(document);

        Assert.Equal(2, push.GetProperty("counts").GetProperty("quarantined").GetInt32());
        Assert.All(push.GetProperty("items").EnumerateArray(), i => Assert.Equal("UnknownMeter", i.GetProperty("reason").GetString()));
        string blobName = push.GetProperty("quarantineBlob").GetString()!;
        BlobClient blob = new BlobContainerClient(backend.StorageConnectionString, "meter-quarantine").GetBlobClient(blobName);
        string quarantined = (await blob.DownloadContentAsync()).Value.Content.ToString();
        JsonElement record = JsonDocument.Parse(quarantined).RootElement;
        Assert.Equal(2, record.GetProperty("items").GetArrayLength());
        Assert.All(record.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.Equal("UnknownMeter", i.GetProperty("reason").GetString());
            Assert.Equal(unknown, i.GetProperty("meter").GetString());
        });
        Assert.True(await new BlobContainerClient(backend.StorageConnectionString, "meter-raw").GetBlobClient(push.GetProperty("rawBlob").GetString()).ExistsAsync());
    }

    public static TheoryData<string, string, int, string> MalformedPayloads => new()
    {
        // name, body (BASE64: prefix = raw bytes), expected status, expected rule (problem) or reason (quarantined item)
        { "truncated JSON", "{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"IntervalBlocks\":[", 400, "MalformedDocument" },
        { "not an object", "[1,2,3]", 400, "MissingField" },
        { "value is a boolean", Reading("\"M1\"", "true"), 200, "InvalidNumber" },
        { "value is an object", Reading("\"M1\"", "{\"x\":1}"), 200, "InvalidNumber" },
        { "huge number", Reading("\"M1\"", "1e400"), 200, "NumberOutOfRange" },
        { "NaN string", Reading("\"M1\"", "\"NaN\""), 200, "InvalidNumber" },
        { "bare NaN token", Reading("\"M1\"", "NaN"), 400, "MalformedDocument" },
        { "invalid UTF-8", "BASE64:" + Convert.ToBase64String([.. Encoding.UTF8.GetBytes("{\"MeterReading\":[{\"Meter\":{\"mRID\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}}]}")]), 400, "InvalidEncoding" },
        { "hostile meter string", Reading("\"'; DROP TABLE Curves;--<script>\\u202e\"", "0.1"), 200, "InvalidMeterId" },
        { "meter as number", Reading("12345", "0.1"), 200, "InvalidMeterId" },
        { "deep nesting", "{\"MeterReading\":" + new string('[', 200) + new string(']', 200) + "}", 400, "TooDeeplyNested" },
        { "too many decimals", Reading("\"M1\"", "0.123456"), 200, "ExcessPrecision" },
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public async Task PushReadings_MalformedPayload_RefusedOrQuarantinedNever500(string name, string body, int status, string rule)
    {
        byte[] bytes = body.StartsWith("BASE64:", StringComparison.Ordinal) ? Convert.FromBase64String(body["BASE64:".Length..]) : Encoding.UTF8.GetBytes(body);

        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(bytes));

        if (status == 400)
        {
            await Problem.AssertAsync(response, HttpStatusCode.BadRequest, rule: rule);
            return;
        }

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {text}");
        JsonElement result = JsonDocument.Parse(text).RootElement;
        Assert.True(result.GetProperty("counts").GetProperty("quarantined").GetInt32() >= 1, name);
        Assert.Contains(rule, result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task PushReadings_OneMillionAndOneItems_Returns413MaxItemsAndStoresNothing()
    {
        // About 3 MB of empty readings: under the 4 MiB body limit, over the documented 1,000,000-item limit.
        string meter = await ReadingJson.CreateMeterAsync(Client);
        StringBuilder json = new("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"" + meter + "\"},\"IntervalBlocks\":[{\"ReadingType\":{\"ref\":\"" + ReadingJson.ActiveImport15 + "\"},\"IntervalReadings\":[");
        json.Insert(json.Length, "{},", 1_000_000).Append("{}]}]}]}");

        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(Encoding.UTF8.GetBytes(json.ToString())));

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "MeterReading", "max-items");
        Assert.True(response.Content.Headers.ContentLength is null or < 10_000, "the refusal is small");
        BlobContainerClient raw = new(backend.StorageConnectionString, "meter-raw");
        Assert.DoesNotContain(raw.GetBlobs(), b => b.Name.Contains(Sha256Hex(json.ToString()), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushReadings_ManyItemsNotAccepted_AnswerBoundedWithCountsPerReasonAndCompleteListInBlob()
    {
        // 16 days × 96 values of a meter the archive does not know: 1,536 quarantined items, more than the answer lists.
        string unknown = "NOSUCH" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        JsonObject document = ReadingJson.Document(unknown, new DateOnly(2025, 2, 1), Enumerable.Repeat<decimal?>(0.1m, 96 * 16).ToArray());

        JsonElement push = await PostAsync(document);

        Assert.Equal(1_536, push.GetProperty("counts").GetProperty("quarantined").GetInt32());
        JsonElement summary = Assert.Single(push.GetProperty("byReason").EnumerateArray());
        Assert.Equal("Quarantined", summary.GetProperty("status").GetString());
        Assert.Equal("UnknownMeter", summary.GetProperty("reason").GetString());
        Assert.Equal(1_536, summary.GetProperty("count").GetInt32());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"interval[{i}]"), summary.GetProperty("firstPositions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1_000, push.GetProperty("items").GetArrayLength());
        Assert.True(push.GetProperty("itemsTruncated").GetBoolean());
        BlobClient itemsBlob = new BlobContainerClient(backend.StorageConnectionString, "meter-quarantine").GetBlobClient(push.GetProperty("itemsBlob").GetString());
        JsonElement all = JsonDocument.Parse((await itemsBlob.DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Equal(1_536, all.GetArrayLength());
        Assert.Equal("interval[1535]", all[1_535].GetProperty("position").GetString());
    }

    static string Sha256Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task PushReadings_OversizedBody_Returns413()
    {
        byte[] body = new byte[(4 * 1024 * 1024) + 1];
        Array.Fill(body, (byte)' ');

        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(body));

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body", "max-size");
    }

    [Fact]
    public async Task PushReadings_EmptyBody_Returns400()
    {
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes([]));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "body", "required");
    }

    [Fact]
    public async Task MonthToDate_AfterPushAndRedelivery_CountsEachIntervalOnce()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        JsonObject document = ReadingJson.Document(meter, new DateOnly(2025, 4, 5), ReadingJson.Day(0.25m));

        await PostAsync(document);
        JsonElement once = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-04");
        await PostAsync(document);
        JsonElement twice = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-04");

        // 06:00–22:00 is peak (64 slots), the rest valley (32 slots).
        JsonElement energy = once.GetProperty("energy");
        Assert.Equal(16m, energy.GetProperty("peak").GetDecimal());
        Assert.Equal(8m, energy.GetProperty("valley").GetDecimal());
        Assert.Equal(24m, energy.GetProperty("total").GetDecimal());
        Assert.Equal(1, once.GetProperty("days").GetInt32());
        Assert.Equal(once.GetRawText(), twice.GetRawText());
    }

    [Fact]
    public async Task AreaLoad_TwoMeters_EqualsSumOfTheirCurves()
    {
        string first = await ReadingJson.CreateMeterAsync(Client, "TA0007");
        string second = await ReadingJson.CreateMeterAsync(Client, "TA0007", ctRatio: 3);
        DateOnly day = new(2025, 4, 7);
        decimal?[] a = Enumerable.Range(0, 96).Select(i => (decimal?)(0.1m + (i * 0.001m))).ToArray();
        decimal?[] b = ReadingJson.Day(0.2m);
        b[50] = null;
        await PostAsync(ReadingJson.Combine(ReadingJson.Document(first, day, a), ReadingJson.Document(second, day, b)));

        JsonElement load = await GetJsonAsync("api/areas/TA0007/load?day=2025-04-07");
        JsonElement curveA = await GetJsonAsync($"api/meters/{first}/curve?day=2025-04-07");
        JsonElement curveB = await GetJsonAsync($"api/meters/{second}/curve?day=2025-04-07");

        Assert.Equal(2, load.GetProperty("meters").GetInt32());
        JsonElement[] points = load.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(96, points.Length);
        for (int s = 0; s < 96; s++)
        {
            decimal expected = Value(curveA, s) + Value(curveB, s);
            Assert.Equal(expected, points[s].GetProperty("value").GetDecimal());
        }

        Assert.Equal(0.7m, points[0].GetProperty("value").GetDecimal()); // 0.1 + 0.2 × CT 3
        Assert.Equal(1, points[50].GetProperty("meters").GetInt32());
        Assert.Equal(curveA.GetProperty("total").GetDecimal() + curveB.GetProperty("total").GetDecimal(), load.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task GetCurve_UnknownMeter_Returns404()
    {
        HttpResponseMessage response = await Client.GetAsync("api/meters/NOSUCHMETER999/curve?day=2025-04-01");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("api/meters/M1/curve", "day", "date-format")]
    [InlineData("api/meters/M1/curve?day=2025-02-30", "day", "date-format")]
    [InlineData("api/meters/M1/curve?day=2025-04-01&channel=XX", "channel", "channel-code")]
    [InlineData("api/meters/M!1/curve?day=2025-04-01", "meterNo", "meter-number-format")]
    [InlineData("api/meters/M1/month-to-date?month=2025-13", "month", "month-format")]
    [InlineData("api/areas/TA0001/load?day=tomorrow", "day", "date-format")]
    public async Task Query_BadParameters_Returns400NamingField(string url, string field, string rule)
    {
        HttpResponseMessage response = await Client.GetAsync(url);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task GetAreaLoad_UnknownArea_Returns404()
    {
        HttpResponseMessage response = await Client.GetAsync("api/areas/NOAREA/load?day=2025-04-01");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    static string Reading(string meterJson, string valueJson) =>
        "{\"MeterReading\":[{\"Meter\":{\"mRID\":" + meterJson + "},\"IntervalBlocks\":[{\"ReadingType\":{\"ref\":\"" + ReadingJson.ActiveImport15 +
        "\"},\"IntervalReadings\":[{\"timePeriod\":{\"start\":\"2025-04-01T00:00:00+08:00\"},\"value\":" + valueJson + "}]}]}]}";

    static decimal Value(JsonElement curve, int slot) =>
        curve.GetProperty("points")[slot].TryGetProperty("value", out JsonElement v) ? v.GetDecimal() : 0m;

    Task<JsonElement> PostAsync(JsonNode document) => ReadingJson.PostAsync(Client, document);

    Task<JsonElement> GetJsonAsync(string url) => HttpJson.GetOkAsync(Client, url);
}
