using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using Xunit.Abstractions;

namespace MeterToCash.Functions.Tests.Ingestion;

public class IngestionCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Push_HostKilledMidBatch_RedeliveryAfterRestartStoresEverythingOnce()
    {
        const int meters = 600, areas = 30;
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite);
        using HttpClient client = host.Client();
        DemoUtility demo = new(meters, seed: 17, areas: areas);
        await ReferenceDataSeed.SeedAsync(host);
        await demo.SeedNetworkAsync(client);
        string importId = await ImportClient.ImportIdAsync(await ImportClient.PostAsync(client, demo.ArchiveCsv()));
        await ImportClient.WaitAsync(client, importId, TimeSpan.FromMinutes(2));

        // One head-end delivery of a whole day for 600 meters (57,600 values): big enough to be cut off half-way.
        DateOnly day = new(2026, 11, 10);
        byte[] document = MeterReadingsJsonWriter.Write(Enumerable.Range(0, meters).SelectMany(i => Day(i, day)), [], []);
        TableClient curves = new TableServiceClient(azurite.ConnectionString).GetTableClient($"MeterCurves{day:yyyyMMdd}");
        Task<HttpResponseMessage> cutOff = client.PostAsync("api/meter-readings", Content(document));

        // Kill the host as soon as the first area's curves are written, so the batch is cut between transactions.
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!cutOff.IsCompleted && DateTime.UtcNow < deadline && !await AnyAsync(curves))
        {
            await Task.Delay(10);
        }

        host.Kill();

        // Usually the request dies with the host; if it slipped through first, the checks below still hold.
        bool answered = await cutOff.ContinueWith(t => t.IsCompletedSuccessfully && t.Result.IsSuccessStatusCode, TaskScheduler.Default);
        output.WriteLine(answered ? "the delivery was answered before the kill" : "the delivery was cut off by the kill");

        // The head-end retries after the restart, as it does when it gets no answer.
        await host.StartAsync();
        JsonElement retried = await PushAsync(client, document);
        JsonElement again = await PushAsync(client, document);

        int total = meters * 96;
        JsonElement counts = retried.GetProperty("counts");
        Assert.Equal(total, counts.GetProperty("accepted").GetInt32() + counts.GetProperty("duplicate").GetInt32());
        Assert.Equal(0, counts.GetProperty("quarantined").GetInt32());
        output.WriteLine($"after the restart: {counts.GetProperty("accepted").GetInt32()} values newly stored, {counts.GetProperty("duplicate").GetInt32()} already stored before the kill");
        Assert.True(counts.GetProperty("duplicate").GetInt32() > 0, "the kill must land after some curves were written");
        Assert.Equal(total, again.GetProperty("counts").GetProperty("duplicate").GetInt32());

        // Nothing half-written, nothing counted twice: for one area, the area load equals the sum of its meters'
        // curves, and each meter's month-to-date equals its curve's total.
        string area = DemoUtility.AreaCode(3);
        JsonElement load = JsonDocument.Parse(await client.GetStringAsync($"api/areas/{area}/load?day={day:yyyy-MM-dd}")).RootElement;
        decimal sumOfCurves = 0;
        foreach (int i in Enumerable.Range(0, meters).Where(i => i % areas == 2))
        {
            JsonElement curve = JsonDocument.Parse(await client.GetStringAsync($"api/meters/MTR{i:D9}/curve?day={day:yyyy-MM-dd}&channel=AI")).RootElement;
            Assert.Equal(96, curve.GetProperty("points").EnumerateArray().Count(p => p.TryGetProperty("value", out JsonElement v) && v.ValueKind == JsonValueKind.Number));
            JsonElement month = JsonDocument.Parse(await client.GetStringAsync($"api/meters/MTR{i:D9}/month-to-date?month={day:yyyy-MM}")).RootElement;
            Assert.Equal(curve.GetProperty("total").GetDecimal(), month.GetProperty("energy").GetProperty("total").GetDecimal());
            sumOfCurves += curve.GetProperty("total").GetDecimal();
        }

        Assert.Equal(meters / areas, load.GetProperty("meters").GetInt32());
        Assert.Equal(sumOfCurves, load.GetProperty("total").GetDecimal());

        // Wherever the kill landed, every area's month-to-date was brought back in line with its curves.
        for (int i = 0; i < areas; i++)
        {
            JsonElement curve = JsonDocument.Parse(await client.GetStringAsync($"api/meters/MTR{i:D9}/curve?day={day:yyyy-MM-dd}&channel=AI")).RootElement;
            JsonElement month = JsonDocument.Parse(await client.GetStringAsync($"api/meters/MTR{i:D9}/month-to-date?month={day:yyyy-MM}")).RootElement;
            Assert.Equal(curve.GetProperty("total").GetDecimal(), month.GetProperty("energy").GetProperty("total").GetDecimal());
        }
    }

    static IEnumerable<IntervalReading> Day(int meterIndex, DateOnly day)
    {
        MeterId meter = new($"MTR{meterIndex:D9}");
        DateTimeOffset start = ChinaTime.DayStart(day);
        for (int slot = 0; slot < 96; slot++)
        {
            yield return new IntervalReading(meter, MeterChannel.ActiveImport, start.AddMinutes(15 * slot), 15, 0.1m + ((meterIndex + slot) % 40) / 100m, EnergyUnit.Kwh, ReadingQuality.Valid);
        }
    }

    static async Task<bool> AnyAsync(TableClient table)
    {
        try
        {
            await foreach (TableEntity _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"]))
            {
                return true;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The table is created on first use.
        }

        return false;
    }

    static ByteArrayContent Content(byte[] document)
    {
        ByteArrayContent content = new(document);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    static async Task<JsonElement> PushAsync(HttpClient client, byte[] document)
    {
        HttpResponseMessage response = await client.PostAsync("api/meter-readings", Content(document));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body[..Math.Min(500, body.Length)]}");
        return JsonDocument.Parse(body).RootElement;
    }
}
