using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary>Alarms from pushed meter events, their lifecycle through the API, and the notifications on the queue.</summary>
[Collection(BackendCollection.Name)]
public class AlarmApiTests(BackendFixture backend)
{
    const string PowerOff = "3.26.0.85";
    const string PowerRestored = "3.26.0.216";
    const string CoverOpen = "3.12.0.257";
    const string TerminalCoverOpen = "3.12.29.257";

    HttpClient Client => backend.Client;

    [Fact]
    public async Task Tamper_RedeliveredAndRepeated_OneAlarmCounted_AcknowledgeThenClose_InvalidTransitionIs409()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateTimeOffset at = Minute(DateTimeOffset.UtcNow.AddHours(-3));
        JsonObject tamper = Events((meter, CoverOpen, at));

        await PushAsync(tamper);
        JsonElement first = Assert.Single(await AlarmsOfAsync("TA0001", meter, "Tamper"));
        Assert.Equal("Open", first.GetProperty("state").GetString());
        Assert.Equal("Major", first.GetProperty("severity").GetString());
        Assert.Equal("RevenueProtection", first.GetProperty("department").GetString());
        Assert.Equal(1, first.GetProperty("occurrences").GetInt32());
        string id = first.GetProperty("id").GetString()!;

        await PushAsync(tamper); // redelivery: nothing changes
        JsonElement redelivered = Assert.Single(await AlarmsOfAsync("TA0001", meter, "Tamper"));
        Assert.Equal(1, redelivered.GetProperty("occurrences").GetInt32());

        await PushAsync(Events((meter, TerminalCoverOpen, at.AddMinutes(10)))); // same condition again, later: counted, not a second alarm
        JsonElement repeated = Assert.Single(await AlarmsOfAsync("TA0001", meter, "Tamper"));
        Assert.Equal(id, repeated.GetProperty("id").GetString());
        Assert.Equal(2, repeated.GetProperty("occurrences").GetInt32());
        Assert.Equal(at.AddMinutes(10), repeated.GetProperty("lastSeenAt").GetDateTimeOffset());

        HttpResponseMessage acknowledged = await Client.PostAsJsonAsync($"api/alarms/{id}/acknowledge", new { who = "wang.li", note = "Inspector dispatched" });
        JsonElement ack = await JsonAsync(acknowledged, HttpStatusCode.OK);
        Assert.Equal("Acknowledged", ack.GetProperty("state").GetString());
        Assert.Equal("wang.li", ack.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("Inspector dispatched", ack.GetProperty("note").GetString());
        await JsonAsync(await Client.PostAsJsonAsync($"api/alarms/{id}/acknowledge", new { who = "wang.li" }), HttpStatusCode.OK); // idempotent repeat
        JsonElement filtered = await JsonAsync(await Client.GetAsync("api/alarms?status=Acknowledged&severity=Major&department=RevenueProtection&pageSize=1000"), HttpStatusCode.OK);
        Assert.Contains(id, filtered.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        JsonElement open = await JsonAsync(await Client.GetAsync("api/alarms?area=TA0001&status=Open&pageSize=1000"), HttpStatusCode.OK);
        Assert.DoesNotContain(id, open.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));

        JsonElement closed = await JsonAsync(await Client.PostAsync($"api/alarms/{id}/close", null), HttpStatusCode.OK);
        Assert.Equal("Closed", closed.GetProperty("state").GetString());
        Assert.True(closed.GetProperty("durationSeconds").GetInt64() >= 3 * 3600 - 60);
        JsonElement read = await JsonAsync(await Client.GetAsync($"api/alarms/{id}"), HttpStatusCode.OK);
        Assert.Equal("Closed", read.GetProperty("state").GetString());

        await Problem.AssertAsync(await Client.PostAsJsonAsync($"api/alarms/{id}/acknowledge", new { who = "zhao.min" }), HttpStatusCode.Conflict);
        await Problem.AssertAsync(await Client.PostAsync($"api/alarms/{id}/close", null), HttpStatusCode.Conflict);

        // One notification per real state change: opened, acknowledged, closed (not the count bump, not the repeats).
        List<JsonElement> messages = (await DrainNotificationsAsync()).Where(m => m.GetProperty("alarmId").GetString() == id).ToList();
        Assert.Equal(["Opened", "Acknowledged", "Closed"], messages.Select(m => m.GetProperty("change").GetString()));
        Assert.Equal(["Open", "Acknowledged", "Closed"], messages.Select(m => m.GetProperty("state").GetString()));
        Assert.All(messages, m => Assert.Equal("Tamper", m.GetProperty("condition").GetString()));
        Assert.All(messages, m => Assert.Equal("RevenueProtection", m.GetProperty("department").GetString()));
    }

    [Fact]
    public async Task AreaOutage_LastGaspFromMostMetersOfArea_Opens_PowerRestoredClosesItWithDuration()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        string[] meters = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReadingJson.CreateMeterAsync(Client, area)))];
        DateTimeOffset t0 = Minute(DateTimeOffset.UtcNow.AddHours(-2));
        JsonObject gasps = Events((meters[0], PowerOff, t0), (meters[1], PowerOff, t0.AddMinutes(1)), (meters[2], PowerOff, t0.AddMinutes(2)));

        await PushAsync(gasps);
        await PushAsync(gasps); // redelivered: still one outage alarm
        JsonElement outage = Assert.Single(await AlarmsOfAsync(area, area, "AreaOutage"));
        Assert.Equal("Open", outage.GetProperty("state").GetString());
        Assert.Equal("Critical", outage.GetProperty("severity").GetString());
        Assert.Equal("Operations", outage.GetProperty("department").GetString());
        Assert.Equal(t0.AddMinutes(1), outage.GetProperty("openedAt").GetDateTimeOffset()); // 2 of 4 = the 50 % threshold
        Assert.Equal("3 of 4 meters down", outage.GetProperty("detail").GetString());
        Assert.Equal(3, (await AlarmsOfAsync(area, null, "MeterPowerOff")).Count(a => a.GetProperty("state").GetString() == "Open"));
        string id = outage.GetProperty("id").GetString()!;

        await PushAsync(Events((meters[0], PowerRestored, t0.AddMinutes(30)), (meters[1], PowerRestored, t0.AddMinutes(31)), (meters[2], PowerRestored, t0.AddMinutes(32))));
        JsonElement restored = await JsonAsync(await Client.GetAsync($"api/alarms/{id}"), HttpStatusCode.OK);
        Assert.Equal("Closed", restored.GetProperty("state").GetString());
        Assert.Equal(t0.AddMinutes(32), restored.GetProperty("closedAt").GetDateTimeOffset()); // the last restoration
        Assert.Equal(31 * 60, restored.GetProperty("durationSeconds").GetInt64());
        JsonElement[] meterAlarms = [.. await AlarmsOfAsync(area, null, "MeterPowerOff")];
        Assert.Equal(3, meterAlarms.Length);
        Assert.All(meterAlarms, a => Assert.Equal(30 * 60, a.GetProperty("durationSeconds").GetInt64()));

        List<JsonElement> messages = (await DrainNotificationsAsync()).Where(m => m.GetProperty("alarmId").GetString() == id).ToList();
        Assert.Equal(["Opened", "Closed"], messages.Select(m => m.GetProperty("change").GetString()));
        Assert.Equal(31 * 60, messages[1].GetProperty("durationSeconds").GetInt64());
    }

    [Fact]
    public async Task Tamper_ConcurrentDeliveries_StillOneAlarmAndOneOpenedNotification()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateTimeOffset at = Minute(DateTimeOffset.UtcNow.AddHours(-1));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PushAsync(Events((meter, CoverOpen, at.AddMinutes(i))))));

        JsonElement alarm = Assert.Single(await AlarmsOfAsync("TA0001", meter, "Tamper"));
        Assert.Equal(at.AddMinutes(5), alarm.GetProperty("lastSeenAt").GetDateTimeOffset());
        Assert.InRange(alarm.GetProperty("occurrences").GetInt32(), 1, 6); // observations older than last-seen are not counted
        string id = alarm.GetProperty("id").GetString()!;
        List<JsonElement> messages = (await DrainNotificationsAsync()).Where(m => m.GetProperty("alarmId").GetString() == id).ToList();
        Assert.Equal(["Opened"], messages.Select(m => m.GetProperty("change").GetString()));
    }

    [Fact]
    public async Task PowerQualityEvents_RaiseOperationsAlarms_ReverseEnergyRaisesRevenueProtection()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateTimeOffset at = Minute(DateTimeOffset.UtcNow.AddHours(-1));
        await PushAsync(Events((meter, "3.26.41.150", at), (meter, "3.26.38.150", at.AddMinutes(1)), (meter, "3.26.38.93", at.AddMinutes(2)), (meter, "3.26.9.214", at.AddMinutes(3))));

        JsonElement phase = Assert.Single(await AlarmsOfAsync("TA0001", meter, "PhaseLoss"));
        Assert.Equal(("Major", "Operations"), (phase.GetProperty("severity").GetString(), phase.GetProperty("department").GetString()));
        JsonElement voltage = Assert.Single(await AlarmsOfAsync("TA0001", meter, "VoltageOutOfLimits")); // sag then swell: one condition
        Assert.Equal(2, voltage.GetProperty("occurrences").GetInt32());
        Assert.Equal("Operations", voltage.GetProperty("department").GetString());
        JsonElement reverse = Assert.Single(await AlarmsOfAsync("TA0001", meter, "ReverseEnergyWithoutGeneration"));
        Assert.Equal("RevenueProtection", reverse.GetProperty("department").GetString());
    }

    [Fact]
    public async Task AlarmApi_BadQueryOrBody_400NamingField_UnknownId_404()
    {
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?status=Bogus"), HttpStatusCode.BadRequest, "status", "enum");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?severity=3"), HttpStatusCode.BadRequest, "severity", "enum");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?department=Metering,Operations"), HttpStatusCode.BadRequest, "department", "enum");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?pageSize=0"), HttpStatusCode.BadRequest, "pageSize", "range");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?area=TA%2F1"), HttpStatusCode.BadRequest, "area", "code-format");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?continuationToken=not-a-token"), HttpStatusCode.BadRequest, "continuationToken", "invalid-continuation-token");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms?status=open"), HttpStatusCode.BadRequest, "status", "enum");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms/not-an-id"), HttpStatusCode.BadRequest, "id", "alarm-id-format");
        await Problem.AssertAsync(await Client.GetAsync("api/alarms/TA0001~Tamper~NOMETER~1"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await Client.PostAsync("api/alarms/TA0001~Tamper~NOMETER~1/close", null), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/alarms/TA0001~Tamper~NOMETER~1/acknowledge", new { who = "wang.li" }), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/alarms/TA0001~Tamper~NOMETER~1/acknowledge", new { note = "no one" }), HttpStatusCode.BadRequest, "who", "required");
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/alarms/TA0001~Tamper~NOMETER~1/acknowledge", new { who = "\u200B\u200D" }), HttpStatusCode.BadRequest, "who", "visible-character-required");
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/alarms/TA0001~Tamper~NOMETER~1/acknowledge", new { who = "wang\u202Eil" }), HttpStatusCode.BadRequest, "who", "no-control-characters");
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/alarms/TA0001~Tamper~NOMETER~1/acknowledge", new { who = "wang\u0000li" }), HttpStatusCode.BadRequest, "who", "no-control-characters");
        await Problem.AssertAsync(await Client.PostAsync("api/alarms/TA0001~Tamper~NOMETER~1/acknowledge", ReadingJson.Bytes("{\"who\":"u8.ToArray())), HttpStatusCode.BadRequest);
    }

    internal static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    /// <summary>A push document with only EndDeviceEvents (docs/meter-data.md), one MeterReading per event.</summary>
    internal static JsonObject Events(params (string Meter, string Code, DateTimeOffset At)[] events)
    {
        JsonArray readings = [];
        foreach ((string meter, string code, DateTimeOffset at) in events)
        {
            readings.Add(new JsonObject
            {
                ["Meter"] = new JsonObject { ["mRID"] = meter },
                ["EndDeviceEvents"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["EndDeviceEventType"] = new JsonObject { ["ref"] = code },
                        ["createdDateTime"] = at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    },
                },
            });
        }

        return new JsonObject { ["MeterReading"] = readings };
    }

    async Task PushAsync(JsonObject document)
    {
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every alarm of the area (all pages) of one condition, optionally of one subject.</summary>
    async Task<List<JsonElement>> AlarmsOfAsync(string area, string? subject, string condition)
    {
        List<JsonElement> found = [];
        string? token = null;
        do
        {
            string url = $"api/alarms?area={area}&pageSize=1000" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            JsonElement page = await JsonAsync(await Client.GetAsync(url), HttpStatusCode.OK);
            found.AddRange(page.GetProperty("items").EnumerateArray().Where(a =>
                a.GetProperty("condition").GetString() == condition
                && (subject is null || string.Equals(a.GetProperty("subject").GetString(), subject, StringComparison.OrdinalIgnoreCase))));
            token = page.TryGetProperty("continuationToken", out JsonElement next) ? next.GetString() : null;
        }
        while (token is not null);
        return found;
    }

    /// <summary>Receives and deletes every message on the notification queue (the collection's tests run one at a time).</summary>
    async Task<List<JsonElement>> DrainNotificationsAsync()
    {
        QueueClient queue = new(backend.StorageConnectionString, "alarm-notifications", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        List<JsonElement> messages = [];
        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                return messages;
            }

            foreach (QueueMessage message in batch)
            {
                messages.Add(JsonDocument.Parse(message.Body.ToString()).RootElement.Clone());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
