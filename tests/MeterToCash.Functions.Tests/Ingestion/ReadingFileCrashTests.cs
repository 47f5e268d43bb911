using System.Net.Http.Headers;
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

public class ReadingFileCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task UploadFile_HostKilledMidway_CompletesAfterRestartWithEveryValueOnce()
    {
        const int meters = 600, areas = 30;
        await using Azurite azurite = await Azurite.StartAsync();
        // Small batches: the file spans many activities, so the kill lands in the middle of it.
        Dictionary<string, string> settings = new() { ["ReadingFiles__BatchValues"] = "500", ["ReadingFiles__BatchesPerSubOrchestration"] = "2" };
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "crash" + Guid.NewGuid().ToString("N")[..8], settings);
        using HttpClient client = host.Client();
        DemoUtility demo = new(meters, seed: 19, areas: areas);
        await ReferenceDataSeed.SeedAsync(host);
        await demo.SeedNetworkAsync(client);
        await ImportClient.WaitAsync(client, await ImportClient.ImportIdAsync(await ImportClient.PostAsync(client, demo.ArchiveCsv())), TimeSpan.FromMinutes(2));

        // A head-end's daily export of 600 meters (57,600 values): 120 batches of 5 meter-days.
        DateOnly day = new(2026, 11, 12);
        string csv = CsvReadingParser.Write(Enumerable.Range(0, meters).SelectMany(i => Day(i, day)));
        ByteArrayContent content = new(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        HttpResponseMessage started = await client.PostAsync("api/meter-readings/files", content);
        string fileId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("fileId").GetString()!;

        JsonElement midway = await WaitAsync(client, fileId, TimeSpan.FromMinutes(3), s => s.GetProperty("status").GetString() is "Completed" or "Failed"
            || (s.GetProperty("status").GetString() == "Running" && s.GetProperty("batchesDone").GetInt32() > 0));
        host.Kill();

        Assert.Equal("Running", midway.GetProperty("status").GetString());
        Assert.True(midway.GetProperty("batchesDone").GetInt32() < midway.GetProperty("batchesTotal").GetInt32(), "the host must die before the file is done");
        output.WriteLine($"killed after {midway.GetProperty("batchesDone").GetInt32()} of {midway.GetProperty("batchesTotal").GetInt32()} batches");

        await host.StartAsync();
        JsonElement done = await WaitAsync(client, fileId, TimeSpan.FromMinutes(5), s => s.GetProperty("status").GetString() is "Completed" or "Failed" or "Terminated");

        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal(done.GetProperty("batchesTotal").GetInt32(), done.GetProperty("batchesDone").GetInt32());
        JsonElement counts = done.GetProperty("counts");
        int total = meters * 96;
        Assert.Equal(total, counts.GetProperty("received").GetInt32());
        // A batch cut off after storing but before recording its result runs again and finds its values stored.
        Assert.Equal(total, counts.GetProperty("accepted").GetInt32() + counts.GetProperty("duplicate").GetInt32());
        Assert.Equal(0, counts.GetProperty("quarantined").GetInt32());

        // Every meter-day stored once, whole; each sampled meter's month-to-date agrees with its curve.
        TableClient curves = new TableServiceClient(azurite.ConnectionString).GetTableClient($"MeterCurves{day:yyyyMMdd}");
        Assert.Equal(meters, curves.Query<TableEntity>(select: ["RowKey"]).Count());
        for (int i = 0; i < meters; i += 17)
        {
            JsonElement curve = JsonDocument.Parse(await client.GetStringAsync($"api/meters/MTR{i:D9}/curve?day={day:yyyy-MM-dd}&channel=AI")).RootElement;
            Assert.Equal(96, curve.GetProperty("points").EnumerateArray().Count(p => p.TryGetProperty("value", out JsonElement v) && v.ValueKind == JsonValueKind.Number));
            Assert.Equal(1, curve.GetProperty("revision").GetInt64());
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

    static async Task<JsonElement> WaitAsync(HttpClient client, string fileId, TimeSpan timeout, Func<JsonElement, bool> until)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        JsonElement status = default;
        while (DateTime.UtcNow < deadline)
        {
            HttpResponseMessage response = await client.GetAsync($"api/meter-readings/files/{fileId}");
            if (response.IsSuccessStatusCode)
            {
                status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (until(status))
                {
                    return status;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Reading file {fileId} did not reach the expected state in {timeout}; last status: {status}");
    }
}
