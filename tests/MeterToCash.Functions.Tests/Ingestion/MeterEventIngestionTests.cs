using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using MeterToCash.Functions.Ingestion;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>
/// The Event Hubs handler against the real Azurite the LocalHost uses: what the stream stores is read back through the
/// HTTP API, so the two entry points are shown to have the same effect. (The trigger itself is compiled only in the
/// deploy build.)
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class MeterEventIngestionTests(BackendFixture backend) : IAsyncLifetime
{
    ServiceProvider services = null!;

    HttpClient Client => backend.Client;

    public Task InitializeAsync()
    {
        services = backend.AppServices();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task EventBatch_GoodAndUnreadableEvents_StoresTheGoodAndQuarantinesTheRest()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2026, 11, 20);
        byte[] good = Encoding.UTF8.GetBytes(ReadingJson.Document(meter, day, ReadingJson.Day(0.25m)).ToJsonString());
        byte[] unreadable = Encoding.UTF8.GetBytes("{\"MeterReading\": [ {\"Meter\": ");
        MeterEventIngestion handler = services.GetRequiredService<MeterEventIngestion>();

        EventBatchResult result = await handler.ProcessAsync([good, unreadable], CancellationToken.None);

        Assert.Equal(2, result.Events);
        Assert.Equal(96, result.Accepted);
        Assert.Equal(1, result.DocumentsRefused);
        JsonElement curve = JsonDocument.Parse(await Client.GetStringAsync($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI")).RootElement;
        Assert.Equal(24m, curve.GetProperty("total").GetDecimal());
        BlobContainerClient quarantine = new BlobServiceClient(backend.StorageConnectionString).GetBlobContainerClient(IngestionKeys.QuarantineContainer);
        Assert.Contains(quarantine.GetBlobs().ToList(), b => b.Name.Contains($"/{MeterEventIngestion.Source}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EventBatch_ReadingAlreadyPushedOverHttp_ChangesNothing()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2026, 11, 21);
        JsonElement pushed = JsonDocument.Parse(await (await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(ReadingJson.Document(meter, day, ReadingJson.Day(0.5m))))).Content.ReadAsStringAsync()).RootElement;
        string etagBefore = JsonDocument.Parse(await Client.GetStringAsync($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI")).RootElement.GetProperty("eTag").GetString()!;

        EventBatchResult result = await services.GetRequiredService<MeterEventIngestion>()
            .ProcessAsync([Encoding.UTF8.GetBytes(ReadingJson.Document(meter, day, ReadingJson.Day(0.5m)).ToJsonString())], CancellationToken.None);

        Assert.Equal(96, pushed.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.Accepted);
        Assert.Equal(96, result.Duplicate);
        HttpResponseMessage after = await Client.GetAsync($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(etagBefore, JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("eTag").GetString());
    }
}
