using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary>
/// The silence sweep through the real durable engine. A host of its own judges silence after 15 s (the deployed default
/// is an hour), so "stopped reporting" can be observed in a test without waiting an hour or faking the storage clock.
/// </summary>
public class MonitoringSweepTests
{
    static readonly TimeSpan Silence = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sweep_MostMetersOfAreaStopReporting_OpensOutageAndNoReadAlarms_ReportingAgainClosesThem()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: new Dictionary<string, string>
        {
            ["Monitoring__Silence"] = Silence.ToString(),
            ["Monitoring__NoReadAfter"] = Silence.ToString(),
            ["Monitoring__SweepSchedule"] = "0 0 0 1 1 *", // only the sweeps this test starts
        });
        using HttpClient client = host.Client();
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, new DemoUtility(customers: 0, areas: 3));
        string area = await MonitoringAreas.NewAsync(client);
        string[] meters = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReadingJson.CreateMeterAsync(client, area)))];
        // Yesterday's slots: always in the past, and within the two days of curves the sweep reads arrivals from.
        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);

        await PushSlotAsync(client, meters, day, 0);
        JsonElement allReporting = await SweepAsync(client);
        Assert.Equal(0, allReporting.GetProperty("metersDown").GetInt32());
        Assert.Empty(await AlarmsAsync(client, area, "AreaOutage"));

        await Task.Delay(Silence + TimeSpan.FromSeconds(2));
        await PushSlotAsync(client, meters[..1], day, 1); // only one meter still reports
        JsonElement mostSilent = await SweepAsync(client);
        Assert.Equal((3, 1, 3), (mostSilent.GetProperty("metersDown").GetInt32(), mostSilent.GetProperty("outagesOpened").GetInt32(), mostSilent.GetProperty("noReadOpened").GetInt32()));
        JsonElement outage = Assert.Single(await AlarmsAsync(client, area, "AreaOutage"));
        Assert.Equal(("Open", "Critical", "Operations"), (outage.GetProperty("state").GetString(), outage.GetProperty("severity").GetString(), outage.GetProperty("department").GetString()));
        Assert.Equal(meters[1..].Order(StringComparer.OrdinalIgnoreCase), (await AlarmsAsync(client, area, "ProlongedNoRead"))
            .Where(a => a.GetProperty("state").GetString() == "Open").Select(a => a.GetProperty("subject").GetString()!).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        JsonElement repeated = await SweepAsync(client); // nothing new: nothing opened twice
        Assert.Equal((0, 0), (repeated.GetProperty("outagesOpened").GetInt32(), repeated.GetProperty("noReadOpened").GetInt32()));
        Assert.Single(await AlarmsAsync(client, area, "AreaOutage"));

        await PushSlotAsync(client, meters, day, 2); // the area reports again
        JsonElement restored = await SweepAsync(client);
        Assert.Equal((0, 1, 3), (restored.GetProperty("metersDown").GetInt32(), restored.GetProperty("outagesClosed").GetInt32(), restored.GetProperty("noReadClosed").GetInt32()));
        JsonElement closed = Assert.Single(await AlarmsAsync(client, area, "AreaOutage"));
        Assert.Equal("Closed", closed.GetProperty("state").GetString());
        Assert.True(closed.GetProperty("durationSeconds").GetInt64() >= (long)Silence.TotalSeconds, closed.ToString());
        Assert.All(await AlarmsAsync(client, area, "ProlongedNoRead"), a => Assert.Equal("Closed", a.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Outbox_ChangeStoredButNotSent_DrainSendsItOnce_NormalChangesLeaveNoRow()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: new Dictionary<string, string> { ["Monitoring__OutboxGrace"] = "00:00:00" });
        using HttpClient client = host.Client();
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, new DemoUtility(customers: 0, areas: 3));
        string meter = await ReadingJson.CreateMeterAsync(client);
        HttpResponseMessage pushed = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(AlarmApiTests.Events((meter, "3.12.0.257", AlarmApiTests.Minute(DateTimeOffset.UtcNow.AddHours(-1))))));
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        Azure.Data.Tables.TableClient alarms = new(azurite.ConnectionString, "Alarms");
        Azure.Storage.Queues.QueueClient queue = new(azurite.ConnectionString, "alarm-notifications", new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        Assert.Empty(alarms.Query<Azure.Data.Tables.TableEntity>("RowKey gt 'o~' and RowKey lt 'o\u007f'")); // sent, so removed
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // What a process that died after storing a change and before sending it leaves behind.
        await alarms.AddEntityAsync(new Azure.Data.Tables.TableEntity("TA0001", "o~Tamper~X~1~Closed~Major") { ["Message"] = "{\"alarmId\":\"TA0001~Tamper~X~1\",\"change\":\"Closed\"}" });
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("admin/functions/DrainAlarmOutbox", new StringContent("{}"))).StatusCode);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Azure.Storage.Queues.Models.QueueMessage[] messages = (await queue.ReceiveMessagesAsync(32)).Value;
        Assert.Equal(2, messages.Length);
        Assert.Contains(messages, m => m.Body.ToString().Contains("\"change\":\"Closed\"", StringComparison.Ordinal));
        Assert.Empty(alarms.Query<Azure.Data.Tables.TableEntity>("RowKey gt 'o~' and RowKey lt 'o\u007f'"));
    }

    [Fact]
    public async Task SweepStatus_UnknownId_Is404()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite);
        using HttpClient client = host.Client();

        await Problem.AssertAsync(await client.GetAsync("api/monitoring/sweeps/monitoring-sweep-19990101000000"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await client.GetAsync("api/monitoring/sweeps/not-a-sweep"), HttpStatusCode.NotFound);
    }

    static async Task PushSlotAsync(HttpClient client, IEnumerable<string> meters, DateOnly day, int slot)
    {
        JsonObject? document = null;
        foreach (string meter in meters)
        {
            decimal?[] values = new decimal?[slot + 1];
            values[slot] = 0.25m;
            JsonObject one = ReadingJson.Document(meter, day, values);
            document = document is null ? one : ReadingJson.Combine(document, one);
        }

        HttpResponseMessage response = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document!));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static async Task<JsonElement> SweepAsync(HttpClient client)
    {
        HttpResponseMessage started = await client.PostAsync("api/monitoring/sweeps", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        DateTime deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            JsonElement status = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/monitoring/sweeps/{id}", UriKind.Relative))).RootElement.Clone();
            string state = status.GetProperty("status").GetString()!;
            if (state == "Completed")
            {
                // Sweeps are named by the second they start: the next one must not share this one's name.
                await Task.Delay(1100);
                return status.GetProperty("summary");
            }

            Assert.True(state is "Pending" or "Running" && DateTime.UtcNow < deadline, status.ToString());
            await Task.Delay(200);
        }
    }

    internal static async Task<List<JsonElement>> AlarmsAsync(HttpClient client, string area, string condition)
    {
        JsonElement page = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/alarms?area={area}&pageSize=1000", UriKind.Relative))).RootElement.Clone();
        return [.. page.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("condition").GetString() == condition)];
    }
}
