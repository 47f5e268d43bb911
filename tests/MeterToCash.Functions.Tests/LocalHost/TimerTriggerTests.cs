using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.LocalHost;

public class TimerTriggerTests
{
    [Fact]
    public async Task PurgeTimer_FiredThroughAdminEndpoint_RemovesFinishedImportsPastRetention()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: new Dictionary<string, string> { ["Archive__ImportRetentionDays"] = "0" });
        using HttpClient client = host.Client();
        DemoUtility demo = new(50, areas: 12);
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, demo);
        string importId = await ImportClient.ImportIdAsync(await ImportClient.PostAsync(client, demo.ArchiveCsv()));
        await ImportClient.WaitAsync(client, importId, TimeSpan.FromMinutes(2));
        BlobContainerClient container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("archive-imports");
        Assert.NotEmpty(container.GetBlobs().ToList());

        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        HttpResponseMessage fired = await admin.PostAsync("admin/functions/PurgeArchiveImports", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);
        // The purge removes the instance first and the blobs after it: wait for both (a loaded machine can lag seconds).
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (((await client.GetAsync($"api/archive/imports/{importId}")).StatusCode != HttpStatusCode.NotFound || container.GetBlobs().Any()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True((await client.GetAsync($"api/archive/imports/{importId}")).StatusCode == HttpStatusCode.NotFound, "import still there after the purge:\n" + host.Output);
        // The purge deletes the import's blobs after its instance, so the 404 above can come first.
        while (container.GetBlobs().Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Empty(container.GetBlobs().ToList());
        JsonElement customer = JsonDocument.Parse(await client.GetStringAsync("api/customers/3100000000")).RootElement;
        Assert.Equal("3100000000", customer.GetProperty("accountNo").GetString());
    }
}
