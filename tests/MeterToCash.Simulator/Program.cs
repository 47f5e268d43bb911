using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Simulator;

// Usage: --url http://127.0.0.1:7071/api/meter-readings (--meters M1,M2 | --areas TA0001,TA0002) [--key FUNCTION_KEY]
//        [--interval 10s] [--seed 1] [--start 2026-11-26] [--count N] [--faults none|typical] [--control-port 7072] [--dry-run]
//        [--eventhub-namespace NS.servicebus.windows.net --eventhub meter-readings]
// With --eventhub-namespace the deliveries go to that Event Hub instead (Microsoft Entra sign-in through
// DefaultAzureCredential, e.g. `az login`): one event per meter, partition key = meter number, as the production
// streaming trigger expects. --url is then only used to read the archive for --areas.
// Each tick advances simulated time by one 15-minute interval and POSTs one JSON push document. Past intervals are
// back-filled at --interval; once simulated time reaches the present, each interval is sent when it has ended, as a
// live head-end does (never a reading from the future).
// --areas takes every meter of those transformer areas from the archive API (classes from the customers).
// --control-port serves, on 127.0.0.1, an operator's switch for outages:
//   POST /cut?area=TA0002 (or ?meters=M1,M2)   the meters send their last gasps now and go silent
//   POST /restore?area=TA0002 (or ?meters=… or nothing = all)   power-restored events now; readings resume
//   GET  /status
// Line loss (areas with a master meter in the archive, --areas only): each area's master meter reports its low-voltage
// customers' true energy plus a technical loss; --theft-area TA0002 [--theft-from yyyy-MM-dd] plants theft there
// (tests/MeterToCash.Tools/AreaSupply.cs).
Dictionary<string, string> options = ParseArgs(args);
options.TryGetValue("eventhub-namespace", out string? eventHubNamespace);
if (!options.TryGetValue("url", out string? url) && !options.ContainsKey("dry-run") && eventHubNamespace is null)
{
    Console.Error.WriteLine("--url is required (or --eventhub-namespace, or --dry-run to print documents).");
    return 2;
}

await using Azure.Messaging.EventHubs.Producer.EventHubProducerClient? eventHub = eventHubNamespace is null ? null
    : new(eventHubNamespace, options.GetValueOrDefault("eventhub") ?? "meter-readings", new Azure.Identity.DefaultAzureCredential());

using var http = new HttpClient();
if (options.TryGetValue("key", out string? key))
{
    http.DefaultRequestHeaders.Add("x-functions-key", key);
}

Uri? apiBase = url is null ? null : new Uri(new Uri(url), "/api/");
var meters = new List<SimulatedMeter>();
Dictionary<string, List<string>> metersByArea = new(StringComparer.OrdinalIgnoreCase);
List<SupplyMeter> supplyMeters = [];
if (options.TryGetValue("areas", out string? areaList))
{
    if (apiBase is null)
    {
        Console.Error.WriteLine("--areas needs --url (the archive is read from the same API).");
        return 2;
    }

    foreach (string area in areaList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        List<(string Meter, string? Class, double Multiplier, bool LowVoltage)> found = await ArchiveMetersAsync(http, apiBase, area);
        metersByArea[area] = [.. found.Select(f => f.Meter)];
        meters.AddRange(found.Select(f => SimulatedMeter.Typical(f.Meter, SimulatedMeter.ClassOf(f.Class), f.Multiplier)));
        supplyMeters.AddRange(found.Select(f => new SupplyMeter(SimulatedMeter.Typical(f.Meter, SimulatedMeter.ClassOf(f.Class), f.Multiplier), area, f.LowVoltage)));
    }

    Console.WriteLine($"{meters.Count} meters in {metersByArea.Count} areas: " + string.Join(", ", metersByArea.Select(a => $"{a.Key} {a.Value.Count}")));
}
else
{
    string[] meterNames = (options.GetValueOrDefault("meters") ?? "SIM-0001,SIM-0002,SIM-0003").Split(',', StringSplitOptions.RemoveEmptyEntries);
    for (int i = 0; i < meterNames.Length; i++)
    {
        if (!MeterId.TryParse(meterNames[i], out MeterId _))
        {
            Console.Error.WriteLine($"Invalid meter number: {meterNames[i]}");
            return 2;
        }

        meters.Add(SimulatedMeter.Typical(meterNames[i], (CustomerClass)(i % 3)));
    }
}

int seed = int.Parse(options.GetValueOrDefault("seed") ?? "1", CultureInfo.InvariantCulture);
TimeSpan period = ParseDuration(options.GetValueOrDefault("interval") ?? "10s");
int? count = options.TryGetValue("count", out string? c) ? int.Parse(c, CultureInfo.InvariantCulture) : null;
DateOnly startDay = options.TryGetValue("start", out string? s) ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : ChinaTime.LocalDay(DateTimeOffset.UtcNow);
FaultOptions faults = options.GetValueOrDefault("faults") == "none" ? FaultOptions.None : FaultOptions.Typical;
var simulation = new HeadEndSimulation(meters, seed, faults);
// --- line loss: master meters and planted theft (AreaSupply) ---
TheftPlan? theft = options.TryGetValue("theft-area", out string? theftArea)
    ? new TheftPlan(theftArea, options.TryGetValue("theft-from", out string? theftFrom) ? DateOnly.ParseExact(theftFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture) : startDay)
    : null;
AreaSupply supply = new(supplyMeters, apiBase is null || metersByArea.Count == 0 ? new Dictionary<string, int>() : await AreaSupply.MasterCtRatiosAsync(http, new Uri(apiBase, "network/tree"), CancellationToken.None), seed, theft);
if (theft is not null)
{
    Console.WriteLine($"Theft planted in {theft.Area} from {theft.From:yyyy-MM-dd}: {string.Join(", ", supply.TamperedMeters)} register {theft.ReportedShare:P0}");
}
// --- end line loss ---

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Task control = options.TryGetValue("control-port", out string? port)
    ? ServeControlAsync(int.Parse(port, CultureInfo.InvariantCulture), cancel.Token)
    : Task.CompletedTask;

DateTimeOffset slot = ChinaTime.DayStart(startDay);
for (int tick = 0; count is null || tick < count; tick++, slot = slot.AddMinutes(15))
{
    if (!await SendAsync(Supplied(simulation.Tick(slot), slot), slot.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)))
    {
        break;
    }

    try
    {
        TimeSpan untilNextEnds = slot.AddMinutes(30) - DateTimeOffset.UtcNow;
        await Task.Delay(untilNextEnds > period ? untilNextEnds : period, cancel.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}

await cancel.CancelAsync();
await control;
return 0;

// Line loss: tampered meters register less; each area's master meter (unless all its meters are cut off) adds its reading.
SimulatedDelivery Supplied(SimulatedDelivery delivery, DateTimeOffset start)
{
    HashSet<string> cut = [.. simulation.CutOff];
    IEnumerable<IntervalReading> masters = metersByArea.Where(a => !a.Value.All(cut.Contains)).Select(a => supply.Master(a.Key, start)).OfType<IntervalReading>();
    return delivery with { Intervals = [.. delivery.Intervals.Select(supply.Registered), .. masters] };
}

// Posts one delivery (or sends it to the Event Hub, or prints it with --dry-run); false when the run is being stopped.
async Task<bool> SendAsync(SimulatedDelivery delivery, string label)
{
    if (eventHub is not null)
    {
        try
        {
            IReadOnlyList<(string PartitionKey, byte[] Body)> events = HeadEndSimulation.ToMeterEvents(delivery);
            foreach ((string partitionKey, byte[] eventBody) in events)
            {
                await eventHub.SendAsync([new Azure.Messaging.EventHubs.EventData(eventBody)], new Azure.Messaging.EventHubs.Producer.SendEventOptions { PartitionKey = partitionKey }, cancel.Token);
            }

            Console.WriteLine($"{label} sent {events.Count} events to {eventHub.FullyQualifiedNamespace}/{eventHub.EventHubName}");
        }
        catch (Azure.Messaging.EventHubs.EventHubsException ex)
        {
            Console.Error.WriteLine($"{label} send failed: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    byte[] body = HeadEndSimulation.ToJson(delivery);
    if (url is null || options.ContainsKey("dry-run"))
    {
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(body));
        return true;
    }

    try
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await http.PostAsync(new Uri(url), content, cancel.Token);
        Console.WriteLine($"{label} {(int)response.StatusCode} {body.Length} bytes");
    }
    catch (HttpRequestException ex)
    {
        Console.Error.WriteLine($"{label} POST failed: {ex.Message}");
    }
    catch (OperationCanceledException)
    {
        return false;
    }

    return true;
}

async Task ServeControlAsync(int controlPort, CancellationToken cancellationToken)
{
    WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls($"http://127.0.0.1:{controlPort}");
    await using WebApplication app = builder.Build();
    // The web host takes over SIGTERM; when it stops, the simulator stops too (run.sh stops it with kill).
    app.Lifetime.ApplicationStopping.Register(cancel.Cancel);
    app.MapGet("/status", () => Results.Ok(new { meters = meters.Count, areas = metersByArea.ToDictionary(a => a.Key, a => a.Value.Count), cutOff = simulation.CutOff }));
    app.MapPost("/cut", (string? area, string? meters) => SwitchAsync(true, area, meters));
    app.MapPost("/restore", (string? area, string? meters) => SwitchAsync(false, area, meters));
    Console.WriteLine($"Control: http://127.0.0.1:{controlPort}/ (POST /cut?area=…, POST /restore?area=…, GET /status)");
    await app.StartAsync(cancellationToken);
    try
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
    catch (OperationCanceledException)
    {
        // Stopping.
    }

    await app.StopAsync(CancellationToken.None);
}

async Task<IResult> SwitchAsync(bool cut, string? area, string? meterList)
{
    List<string> targets;
    if (area is not null)
    {
        if (!metersByArea.TryGetValue(area, out List<string>? inArea))
        {
            return Results.NotFound(new { error = $"Area {area} is not simulated (start the simulator with --areas)." });
        }

        targets = inArea;
    }
    else if (meterList is not null)
    {
        targets = [.. meterList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
    else if (!cut)
    {
        targets = [.. simulation.CutOff];
    }
    else
    {
        return Results.BadRequest(new { error = "Name the meters to cut: ?area=TA0002 or ?meters=M1,M2." });
    }

    DateTimeOffset now = DateTimeOffset.UtcNow;
    SimulatedDelivery delivery = cut ? simulation.Cut(targets, now) : simulation.Restore(targets, now);
    string action = cut ? "cut" : "restore";
    await SendAsync(delivery, $"{action} {delivery.Events.Count} meters");
    return Results.Ok(new { action, meters = delivery.Events.Count, at = now, cutOff = simulation.CutOff.Count });
}

// Primary-side kWh a day: a household, a shop on a 50 kVA supply, a factory on a 630–1,575 kVA transformer.
static double Ratio(JsonElement meter, string name) =>
    meter.TryGetProperty(name, out JsonElement r) && r.ValueKind == JsonValueKind.Number && r.GetDouble() >= 1 ? r.GetDouble() : 1;

// Every meter in service in an area, paging through the archive API.
static async Task<List<(string Meter, string? Class, double Multiplier, bool LowVoltage)>> ArchiveMetersAsync(HttpClient http, Uri apiBase, string area)
{
    List<(string, string?, double, bool)> found = [];
    string? token = null;
    do
    {
        string query = $"customers?area={Uri.EscapeDataString(area)}&pageSize=1000" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
        using JsonDocument page = JsonDocument.Parse(await http.GetStringAsync(new Uri(apiBase, query)));
        foreach (JsonElement customer in page.RootElement.GetProperty("items").EnumerateArray())
        {
            string? cls = customer.TryGetProperty("class", out JsonElement k) ? k.GetString() : null;
            foreach (JsonElement point in customer.GetProperty("servicePoints").EnumerateArray().Where(p => p.GetProperty("areaCode").GetString() == area))
            {
                foreach (JsonElement meter in point.GetProperty("meters").EnumerateArray().Where(m => m.TryGetProperty("removalDate", out JsonElement r) is false || r.ValueKind == JsonValueKind.Null))
                {
                    bool lowVoltage = !point.TryGetProperty("supplyVoltageKv", out JsonElement kv) || kv.ValueKind != JsonValueKind.Number || MeterToCash.Domain.Archive.ServicePoint.IsLowVoltage(kv.GetDecimal());
                    found.Add((meter.GetProperty("meterNo").GetString()!, cls, Ratio(meter, "ctRatio") * Ratio(meter, "ptRatio"), lowVoltage));
                }
            }
        }

        token = page.RootElement.TryGetProperty("continuationToken", out JsonElement next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
    }
    while (token is not null);
    return found;
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal))
        {
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            result[args[i][2..]] = hasValue ? args[++i] : "true";
        }
    }

    return result;
}

static TimeSpan ParseDuration(string text)
{
    static double Number(string t) => double.Parse(t, CultureInfo.InvariantCulture);
    if (text.EndsWith("ms", StringComparison.Ordinal))
    {
        return TimeSpan.FromMilliseconds(Number(text[..^2]));
    }

    return text[^1] switch
    {
        's' => TimeSpan.FromSeconds(Number(text[..^1])),
        'm' => TimeSpan.FromMinutes(Number(text[..^1])),
        _ => TimeSpan.FromMilliseconds(Number(text)),
    };
}
