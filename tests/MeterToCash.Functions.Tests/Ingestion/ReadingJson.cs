using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>JSON push documents (IEC 61968-9 MeterReadings as JSON) as a head-end sends them, and archive meters to send them for.</summary>
internal static class ReadingJson
{
    /// <summary>15-minute active-import interval data, kWh.</summary>
    public const string ActiveImport15 = "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0";

    /// <summary>Total active-import register (TOU field 0), kWh.</summary>
    public const string ActiveImportTotalRegister = "0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0";

    /// <summary>Peak active-import register (TOU field 2), kWh.</summary>
    public const string ActiveImportPeakRegister = "0.0.0.1.1.1.12.0.0.0.0.2.0.0.0.3.72.0";

    /// <summary>A register read: reading type, China-local instant, value, and optionally the display digits.</summary>
    public static JsonObject Register(string readingType, DateTimeOffset at, decimal value, int? meterDigits = null)
    {
        JsonObject read = new()
        {
            ["ReadingType"] = new JsonObject { ["ref"] = readingType },
            ["timeStamp"] = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["value"] = value,
        };
        if (meterDigits is { } digits)
        {
            read["meterDigits"] = digits;
        }

        return read;
    }

    /// <summary>A document of register reads of one meter.</summary>
    public static JsonObject Registers(string meterNo, params JsonObject[] reads) => new()
    {
        ["MeterReading"] = new JsonArray
        {
            new JsonObject { ["Meter"] = new JsonObject { ["mRID"] = meterNo }, ["Readings"] = new JsonArray([.. reads]) },
        },
    };

    /// <summary>Local midnight starting a China day.</summary>
    public static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    /// <summary>A China-local day's slot start as the head-end writes it.</summary>
    public static string SlotStart(DateOnly day, int slot) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).AddMinutes(15 * slot).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>One reading per value, slot i = values[i] (null = not sent); qualities by slot (CIM codes).</summary>
    public static JsonObject Document(string meterNo, DateOnly day, IReadOnlyList<decimal?> values, IReadOnlyDictionary<int, string>? qualities = null, int firstSlot = 0)
    {
        JsonArray readings = [];
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                continue;
            }

            JsonObject reading = new() { ["timePeriod"] = new JsonObject { ["start"] = SlotStart(day, firstSlot + i) }, ["value"] = value };
            if (qualities?.TryGetValue(firstSlot + i, out string? quality) == true)
            {
                reading["ReadingQualities"] = new JsonArray { new JsonObject { ["ReadingQualityType"] = new JsonObject { ["ref"] = quality } } };
            }

            readings.Add(reading);
        }

        return Wrap(meterNo, readings);
    }

    public static JsonObject Wrap(string meterNo, JsonArray readings) => new()
    {
        ["MeterReading"] = new JsonArray
        {
            new JsonObject
            {
                ["Meter"] = new JsonObject { ["mRID"] = meterNo },
                ["IntervalBlocks"] = new JsonArray { new JsonObject { ["ReadingType"] = new JsonObject { ["ref"] = ActiveImport15 }, ["IntervalReadings"] = readings } },
            },
        },
    };

    /// <summary>Two documents combined into one delivery.</summary>
    public static JsonObject Combine(JsonObject a, JsonObject b)
    {
        JsonArray all = [];
        foreach (JsonObject doc in new[] { a, b })
        {
            foreach (JsonNode? mr in doc["MeterReading"]!.AsArray())
            {
                all.Add(mr!.DeepClone());
            }
        }

        return new JsonObject { ["MeterReading"] = all };
    }

    public static ByteArrayContent Bytes(JsonNode document) => Bytes(Encoding.UTF8.GetBytes(document.ToJsonString()));

    public static ByteArrayContent Bytes(byte[] body)
    {
        ByteArrayContent content = new(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Pushes a meter-readings document to <c>POST /api/meter-readings</c>, asserts 200 and returns the answer.</summary>
    public static async Task<JsonElement> PostAsync(HttpClient client, JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(client);
        using HttpResponseMessage response = await client.PostAsync("api/meter-readings", Bytes(document));
        return await HttpJson.OkAsync(response, "POST api/meter-readings");
    }

        public static decimal?[] Day(decimal value) => Enumerable.Repeat<decimal?>(value, 96).ToArray();

    /// <summary>Creates a residential customer in <paramref name="area"/> with one meter (optionally with a CT ratio) and returns the meter number.</summary>
    public static async Task<string> CreateMeterAsync(HttpClient client, string area = "TA0001", int ctRatio = 1)
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter, area);
        customer["servicePoints"]![0]!["meters"]![0]!["ctRatio"] = ctRatio;
        HttpResponseMessage created = await client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return meter;
    }
}
