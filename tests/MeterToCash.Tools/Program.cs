using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterToCash.Simulator;
using MeterToCash.Tools;
using MeterToCash.Tools.Reconciliation;

// dotnet run --project tests/MeterToCash.Tools -- seed [--url http://127.0.0.1:7071] [--key local-function-key] [--master-key local-master-key] [--customers 1200] [--areas 12]
// dotnet run --project tests/MeterToCash.Tools -- seed-month [--url U] [--key K] [--month yyyy-MM (default: the previous China-local month)] [--areas TA0001,TA0002,TA0003] [--theft-area TA0002 [--theft-from yyyy-MM-dd]]
// dotnet run --project tests/MeterToCash.Tools -- sign --channel BANK-ICBC --secret BASE64 --method POST --path /api/channels/bank/payments [--body-file body.json]
//   prints the four X-MTC-* signing headers as curl -H arguments (one per line), signed now with a fresh nonce
// dotnet run --project tests/MeterToCash.Tools -- archive-csv --customers 20000 [--bad-rows 50] [--areas 40] [--account-offset N (accounts from 3100000000 + N, meters from MTR + N)] --out archive.csv
// dotnet run --project tests/MeterToCash.Tools -- recon-file [--channel BANK-ICBC] [--date yyyy-MM-dd] [--journal journal.json | --payments 200] [--out DIR] [--drop N] [--extra N] [--change-amount N] [--wrong-account N] [--bank-reversal N] [--duplicate N] [--without-id N]
// dotnet run --project tests/MeterToCash.Tools -- weather-csv --from yyyy-MM-dd --to yyyy-MM-dd --forecast-from yyyy-MM-dd --out weather.csv
// dotnet run --project tests/MeterToCash.Tools -- area-series --area TA0001 --from yyyy-MM-dd --to yyyy-MM-dd --out area.csv
Dictionary<string, string> options = new(StringComparer.OrdinalIgnoreCase);
for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Option(string name, string fallback) => options.TryGetValue(name, out string? value) ? value : fallback;
DateOnly Day(string name) => DateOnly.ParseExact(Option(name, string.Empty), "yyyy-MM-dd", CultureInfo.InvariantCulture);
int customers = int.Parse(Option("customers", "1200"), CultureInfo.InvariantCulture);
int areas = args.FirstOrDefault() == "seed-month" ? 12 : int.Parse(Option("areas", "12"), CultureInfo.InvariantCulture);
DemoUtility demo = new(customers, areas: areas);

switch (args.FirstOrDefault())
{
    case "archive-csv":
        await File.WriteAllTextAsync(Option("out", "archive.csv"), demo.ArchiveCsv(int.Parse(Option("bad-rows", "0"), CultureInfo.InvariantCulture), int.Parse(Option("account-offset", "0"), CultureInfo.InvariantCulture)), new UTF8Encoding(false));
        return 0;
    case "recon-file":
        return ReconFileCommand.Run(options);
    case "seed":
        return await SeedAsync(new Uri(Option("url", "http://127.0.0.1:7071")), Option("key", "local-function-key"), Option("master-key", "local-master-key"));
    case "sign":
        return Sign();
    case "weather-csv":
        // The demo station's hourly temperatures (observations before --forecast-from, forecasts from it) for PUT /api/weather/{station}.
        await File.WriteAllTextAsync(Option("out", "weather.csv"), SimulatedAreaLoad.WeatherCsv(Day("from"), Day("to"), Day("forecast-from")), new UTF8Encoding(false));
        return 0;
    case "area-series":
        // A simulated area's load history (timestamp,kw,temperature) as an operator would upload it to POST /api/forecasts/backtests.
        await File.WriteAllTextAsync(Option("out", "area.csv"), SimulatedAreaLoad.Csv(SimulatedAreaLoad.Observations(SimulatedAreaLoad.Meters(demo, Option("area", "TA0001")), Day("from"), Day("to"))), new UTF8Encoding(false));
        return 0;
    case "seed-month":
        return await SeedMonthAsync(new Uri(Option("url", "http://127.0.0.1:7071")), Option("key", "local-function-key"));
    default:
        Console.Error.WriteLine("usage: MeterToCash.Tools sign --channel ID --secret BASE64 --method M --path /api/... [--body-file F]");
        Console.Error.WriteLine("usage: MeterToCash.Tools seed|seed-month|archive-csv|weather-csv|area-series [--month yyyy-MM] [--url U] [--key K] [--master-key K] [--customers N] [--areas N] [--bad-rows N] [--account-offset N] [--out FILE]");
        Console.Error.WriteLine("       MeterToCash.Tools " + ReconFileCommand.Usage);
        return 2;
}

int Sign()
{
    if (!options.TryGetValue("channel", out string? channel) || !options.TryGetValue("secret", out string? secret) || !options.TryGetValue("path", out string? path))
    {
        Console.Error.WriteLine("sign needs --channel, --secret and --path (and --method, default GET; --body-file for a body)");
        return 2;
    }

    byte[] body = options.TryGetValue("body-file", out string? file) ? File.ReadAllBytes(file) : [];
    foreach (KeyValuePair<string, string> header in MeterToCash.Domain.Payments.ChannelRequestSigner.Headers(channel, secret, DateTimeOffset.UtcNow, MeterToCash.Domain.Payments.ChannelRequestSigner.NewNonce(), Option("method", "GET"), path, body))
    {
        Console.WriteLine($"-H\n{header.Key}: {header.Value}");
    }

    return 0;
}

async Task<int> SeedAsync(Uri baseUrl, string key, string masterKey)
{
    using HttpClient http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Add("x-functions-key", key);
    using HttpClient admin = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    admin.DefaultRequestHeaders.Add("x-functions-key", masterKey);
    try
    {
        // Tariffs and calendars first: the archive import refuses rows whose tariff code is not in the catalogue, and bands follow both.
        await ReferenceDataSeed.SeedAsync(admin);
        await demo.SeedNetworkAsync(http);
        await demo.SeedBillingGroupsAsync(http);
    }
    catch (HttpRequestException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }

    HttpResponseMessage post = await http.PostAsync("api/archive/imports", new StringContent(demo.ArchiveCsv(), Encoding.UTF8, "text/csv"));
    string started = await post.Content.ReadAsStringAsync();
    if (!post.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"POST archive/imports: {(int)post.StatusCode} {started}");
        return 1;
    }

    string importId = JsonDocument.Parse(started).RootElement.GetProperty("importId").GetString()!;
    for (int attempt = 0; attempt < 600; attempt++)
    {
        JsonElement status = JsonDocument.Parse(await http.GetStringAsync($"api/archive/imports/{importId}")).RootElement;
        string state = status.GetProperty("status").GetString()!;
        if (state is "Completed" or "Failed" or "Terminated")
        {
            Console.WriteLine($"Seeded {TariffSeed.DemoTariffs.Count} tariffs, {demo.Network().Count} network nodes, {demo.BillingGroups().Count} billing groups and imported archive {importId}: {status.GetProperty("rowsImported").GetInt32()} rows imported, {status.GetProperty("rowsFailed").GetInt32()} rejected ({state}).");
            return state == "Completed" ? 0 : 1;
        }

        await Task.Delay(500);
    }

    Console.Error.WriteLine($"Import {importId} did not finish in 5 minutes.");
    return 1;
}

// Pushes a month of curves and daily register reads through POST /api/meter-readings (MonthSeed); a repeat run sends the
// same documents and the pipeline answers every item as a duplicate.
async Task<int> SeedMonthAsync(Uri baseUrl, string key)
{
    using HttpClient http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
    http.DefaultRequestHeaders.Add("x-functions-key", key);
    DateOnly month = options.TryGetValue("month", out string? text)
        ? DateOnly.ParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture)
        : MonthSeed.PreviousMonth(DateTimeOffset.UtcNow);
    string[] seedAreas = Option("areas", "TA0001,TA0002,TA0003").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    try
    {
        // --theft-area TA0002 [--theft-from yyyy-MM-dd (default: the 20th of the month)]: planted theft for the line-loss demo.
        TheftPlan? theft = options.TryGetValue("theft-area", out string? theftArea)
            ? new TheftPlan(theftArea, options.TryGetValue("theft-from", out string? from) ? DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture) : month.AddDays(19))
            : null;
        MonthSeedResult r = await new MonthSeed(http).SeedAsync(month, seedAreas, theft: theft);
        Console.WriteLine($"Seeded {month:yyyy-MM} for {string.Join(",", seedAreas)}: {r.Meters} meters, {r.Documents} documents, {r.Intervals} intervals, {r.Registers} register reads; " +
            $"pipeline: {r.Accepted} accepted, {r.Duplicate} duplicate, {r.Suspect} suspect, {r.Estimated} estimated, {r.Quarantined} quarantined; " +
            $"faults: {string.Join(", ", r.Faults.Values.Where(f => f != SeedFault.None).GroupBy(f => f).Select(g => $"{g.Count()} {g.Key}"))}.");
        return 0;
    }
    catch (HttpRequestException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}
