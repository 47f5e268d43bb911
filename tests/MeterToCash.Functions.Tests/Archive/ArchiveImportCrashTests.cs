using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.Archive;

public class ArchiveImportCrashTests
{
    [Fact]
    public async Task Import_HostKilledMidway_CompletesAfterRestartWithEveryGoodRowOnce()
    {
        const int customers = 12_000, badRows = 40;
        await using Azurite azurite = await Azurite.StartAsync();
        // Small batches: the import spans many activities, so the kill lands in the middle of it.
        Dictionary<string, string> settings = new() { ["Archive__ImportBatchSize"] = "100", ["Archive__BatchesPerSubOrchestration"] = "4" };
        string hub = "crash" + Guid.NewGuid().ToString("N")[..8];
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, hub, settings);
        using HttpClient client = host.Client();
        DemoUtility demo = new(customers, seed: 3, areas: 40);
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, demo);

        string importId = await ImportClient.ImportIdAsync(await ImportClient.PostAsync(client, demo.ArchiveCsv(badRows)));
        JsonElement midway = await ImportClient.WaitAsync(client, importId, TimeSpan.FromMinutes(3),
            s => s.GetProperty("status").GetString() is "Completed" or "Failed" || (s.GetProperty("status").GetString() == "Running" && s.GetProperty("batchesDone").GetInt32() > 0));
        host.Kill();

        Assert.Equal("Running", midway.GetProperty("status").GetString());
        Assert.True(midway.GetProperty("rowsDone").GetInt32() < customers, "the host must die before the import finishes");

        await host.StartAsync();
        JsonElement done = await ImportClient.WaitAsync(client, importId, TimeSpan.FromMinutes(4));

        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal(customers - badRows, done.GetProperty("rowsImported").GetInt32());
        Assert.Equal(badRows, done.GetProperty("rowsFailed").GetInt32());
        TableClient table = new TableServiceClient(azurite.ConnectionString).GetTableClient("Customers");
        List<string> stored = table.Query<TableEntity>(select: ["RowKey"]).Select(e => e.RowKey).ToList();
        Assert.Equal(customers - badRows, stored.Count);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        HttpResponseMessage report = await client.GetAsync($"api/archive/imports/{importId}/errors");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(badRows, (await report.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).Distinct().Count());
    }
}
