using System.Globalization;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Simulator;

// Usage: --url http://127.0.0.1:7071/api/meter-readings --meters M1,M2 [--key FUNCTION_KEY] [--interval 10s] [--seed 1]
//        [--start 2026-11-26] [--count N] [--faults none|typical] [--dry-run]
// Each tick advances simulated time by one 15-minute interval and POSTs one JSON push document. Past intervals are
// back-filled at --interval; once simulated time reaches the present, each interval is sent when it has ended, as a
// live head-end does (never a reading from the future).
Dictionary<string, string> options = ParseArgs(args);
if (!options.TryGetValue("url", out string? url) && !options.ContainsKey("dry-run"))
{
    Console.Error.WriteLine("--url is required (or --dry-run to print documents).");
    return 2;
}

string[] meterNames = (options.GetValueOrDefault("meters") ?? "SIM-0001,SIM-0002,SIM-0003").Split(',', StringSplitOptions.RemoveEmptyEntries);
var meters = new List<SimulatedMeter>();
for (int i = 0; i < meterNames.Length; i++)
{
    if (!MeterId.TryParse(meterNames[i], out MeterId id))
    {
        Console.Error.WriteLine($"Invalid meter number: {meterNames[i]}");
        return 2;
    }

    var customerClass = (CustomerClass)(i % 3);
    meters.Add(new SimulatedMeter(id, customerClass, customerClass switch { CustomerClass.Residential => 8, CustomerClass.Commercial => 120, _ => 2400 }));
}

int seed = int.Parse(options.GetValueOrDefault("seed") ?? "1", CultureInfo.InvariantCulture);
TimeSpan period = ParseDuration(options.GetValueOrDefault("interval") ?? "10s");
int? count = options.TryGetValue("count", out string? c) ? int.Parse(c, CultureInfo.InvariantCulture) : null;
DateOnly startDay = options.TryGetValue("start", out string? s) ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : ChinaTime.LocalDay(DateTimeOffset.UtcNow);
FaultOptions faults = options.GetValueOrDefault("faults") == "none" ? FaultOptions.None : FaultOptions.Typical;
var simulation = new HeadEndSimulation(meters, seed, faults);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var http = new HttpClient();
if (options.TryGetValue("key", out string? key))
{
    http.DefaultRequestHeaders.Add("x-functions-key", key);
}

DateTimeOffset slot = ChinaTime.DayStart(startDay);
for (int tick = 0; count is null || tick < count; tick++, slot = slot.AddMinutes(15))
{
    byte[] body = HeadEndSimulation.ToJson(simulation.Tick(slot));
    if (url is null)
    {
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(body));
    }
    else
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await http.PostAsync(new Uri(url), content, cancel.Token);
            Console.WriteLine($"{slot.ToOffset(ChinaTime.Offset):yyyy-MM-dd HH:mm} {(int)response.StatusCode} {body.Length} bytes");
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"{slot:O} POST failed: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            break;
        }
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

return 0;

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
