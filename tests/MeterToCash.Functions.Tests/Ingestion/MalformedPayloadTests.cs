using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using MeterToCash.Functions.Tests.Infrastructure;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>
/// More than 200 malformed or hostile push payloads through HTTP. Each is either refused as a whole (400/413/415
/// problem+json naming the rule, and nothing of it stored) or stored in part with every bad item quarantined with its
/// reason (in the response and in the quarantine blob) while the good item next to it is kept. Never a 500.
/// </summary>
[Collection(BackendCollection.Name)]
public class MalformedPayloadTests(BackendFixture backend)
{
    const string Ai15 = "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0";

    /// <summary>What a case must produce: a refusal (status + rule, null = any rule), or a 200 quarantining the bad item.</summary>
    public sealed record Expectation(int Status, string? Rule, string? ContentType = "application/json");

    /// <summary>A case: its body, given the good meter and the slot its good item uses, and the expected outcome.</summary>
    public sealed record Case(Func<string, int, byte[]> Body, Expectation Expected);

    static readonly SemaphoreSlim MeterGate = new(1, 1);
    static string? goodMeter;
    static int nextSlot;

    static readonly Dictionary<string, Case> Cases = BuildCases();

    HttpClient Client => backend.Client;

    public static TheoryData<string> CaseNames()
    {
        TheoryData<string> names = [];
        foreach (string name in Cases.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    [Fact]
    public void Corpus_HasAtLeast200Cases() => Assert.True(Cases.Count >= 200, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Push_MalformedPayload_RefusedOrQuarantinedWithReasonNever500(string name)
    {
        Case c = Cases[name];
        string meter = await GoodMeterAsync();
        int slot = Interlocked.Increment(ref nextSlot);
        using ByteArrayContent content = new(c.Body(meter, slot));
        if (c.Expected.ContentType is { } type)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        }

        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", content);

        Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (c.Expected.Status != 200)
        {
            await Problem.AssertAsync(response, (HttpStatusCode)c.Expected.Status, rule: c.Expected.Rule);
            Assert.False(await GoodValueStoredAsync(meter, slot), $"{name}: a refused payload must store nothing");
            return;
        }

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {text}");
        JsonElement result = JsonDocument.Parse(text).RootElement;
        JsonElement counts = result.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("quarantined").GetInt32());
        Assert.Equal(1, counts.GetProperty("accepted").GetInt32() + counts.GetProperty("duplicate").GetInt32());
        JsonElement item = Assert.Single(result.GetProperty("items").EnumerateArray(), i => i.GetProperty("status").GetString() == "Quarantined");
        string reason = item.GetProperty("reason").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(reason));
        if (c.Expected.Rule is { } expected)
        {
            Assert.Equal(expected, reason);
        }

        // The quarantine record names the same item and reason.
        string blob = result.GetProperty("quarantineBlob").GetString()!;
        BlobClient quarantine = new BlobContainerClient(backend.StorageConnectionString, "meter-quarantine").GetBlobClient(blob);
        JsonElement record = JsonDocument.Parse((await quarantine.DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Contains(record.GetProperty("items").EnumerateArray(), q =>
            q.GetProperty("position").GetString() == item.GetProperty("position").GetString() && q.GetProperty("reason").GetString() == reason);
        Assert.True(await GoodValueStoredAsync(meter, slot), $"{name}: the good item next to the bad one must be stored; {meter} {slot} {DayAndSlot(slot)} {text}");
    }

    async Task<string> GoodMeterAsync()
    {
        await MeterGate.WaitAsync();
        try
        {
            return goodMeter ??= await ReadingJson.CreateMeterAsync(Client);
        }
        finally
        {
            MeterGate.Release();
        }
    }

    async Task<bool> GoodValueStoredAsync(string meter, int slot)
    {
        (DateOnly day, int index) = DayAndSlot(slot);
        HttpResponseMessage response = await Client.GetAsync(new Uri($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("points").EnumerateArray()
            .Any(p => p.GetProperty("slot").GetInt32() == index && p.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.Number);
    }

    /// <summary>Each case's good item has a slot of its own (even slots; the bad item, when it has a time, the next one).</summary>
    static (DateOnly Day, int Slot) DayAndSlot(int n) => (new DateOnly(2024, 3, 1).AddDays(n / 48), (n % 48) * 2);

    static string Time(int n, int offset = 0)
    {
        (DateOnly day, int slot) = DayAndSlot(n);
        return ReadingJson.SlotStart(day, slot + offset);
    }

    static string J(string s) => JsonSerializer.Serialize(s);

    /// <summary>A good item for the real meter, then one bad item whose fields are given as raw JSON fragments (times are interval starts).</summary>
    static string Document(string meter, int n, string? badMeter = null, string? badType = null, string? badTime = null, string? badValue = null, string? badQuality = null)
    {
        string good = $"{{\"Meter\":{{\"mRID\":{J(meter)}}},\"IntervalBlocks\":[{{\"ReadingType\":{{\"ref\":{J(Ai15)}}},\"IntervalReadings\":[{{\"timePeriod\":{{\"start\":{J(Time(n))}}},\"value\":0.25}}]}}]}}";
        string quality = badQuality is null ? string.Empty : $",\"ReadingQualities\":[{{\"ReadingQualityType\":{{\"ref\":{badQuality}}}}}]";
        string bad = $"{{\"Meter\":{{\"mRID\":{badMeter ?? J(meter)}}},\"IntervalBlocks\":[{{\"ReadingType\":{{\"ref\":{badType ?? J(Ai15)}}},\"IntervalReadings\":[{{\"timePeriod\":{{\"start\":{badTime ?? J(Time(n, 1))}}},\"value\":{badValue ?? "0.5"}{quality}}}]}}]}}";
        return $"{{\"MeterReading\":[{good},{bad}]}}";
    }

    static Dictionary<string, Case> BuildCases()
    {
        Dictionary<string, Case> cases = new(StringComparer.Ordinal);
        void Add(string name, Func<string, int, byte[]> body, Expectation expected) => cases.Add(name, new Case(body, expected));
        static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        Expectation quarantined(string? reason) => new(200, reason);

        // 1. Item fields with hostile values: the item is quarantined with the parser's reason, the document is kept.
        string[] badNumbers = ["NaN", "Infinity", "-Infinity", "∞", "", "0x10", "１２", "١٢٣", "12 34", "--1", "1.2.3", "+", ".", "null", "true", "1e", "¥12", "1,5", "0.1.", "½"];
        foreach (string v in badNumbers)
        {
            Add($"value string {J(v)}", (m, n) => U(Document(m, n, badValue: J(v))), quarantined("InvalidNumber"));
        }

        foreach (string v in new[] { "1e400", "-1e400", "79228162514264337593543950336", "1000000000001", "1e30" })
        {
            Add($"value out of range {v}", (m, n) => U(Document(m, n, badValue: v)), quarantined("NumberOutOfRange"));
        }

        foreach (string v in new[] { "0.00001", "1.00005", "0.123456", "3.1415926" })
        {
            Add($"value excess precision {v}", (m, n) => U(Document(m, n, badValue: v)), quarantined("ExcessPrecision"));
        }

        foreach (string v in new[] { "true", "false", "null", "{}", "{\"x\":1}", "[]", "[1]", "[[0.5]]" })
        {
            Add($"value of JSON type {v}", (m, n) => U(Document(m, n, badValue: v)), quarantined("InvalidNumber"));
        }

        string[] hostileMeters =
        [
            "", " ", "M 1", "<script>alert(1)</script>", new string('A', 33), "../../etc/passwd", "..\\..\\windows\\win.ini",
            "M1';DROP TABLE MeterCurves;--", "电表1", "\u202EM1", "M1\u200B", "${jndi:ldap://x/a}", "%s%s%s%n", "M1\r\nX-Injected: 1",
            "M1\u0000", "\uD83D\uDCA9", "M1\u0007", "{{7*7}}", "=cmd|' /C calc'!A0", new string('x', 100_000), "M\u0301", "ＭＴＲ１",
        ];
        for (int i = 0; i < hostileMeters.Length; i++)
        {
            string meter = hostileMeters[i];
            Add($"meter hostile #{i:D2}", (m, n) => U(Document(m, n, badMeter: J(meter))), quarantined("InvalidMeterId"));
        }

        foreach (string v in new[] { "12345", "true", "null", "{}", "[]", "1e3" })
        {
            Add($"meter of JSON type {v}", (m, n) => U(Document(m, n, badMeter: v)), quarantined(null));
        }

        string[] badTimes =
        [
            "", "2024-13-01T00:00:00Z", "2024-03-01T00:15:00", "2024-03-01 00:15:00+08:00", "9999-12-31T23:45:00Z", "1999-12-31T23:45:00Z",
            "2024-03-01T00:15:00+25:00", "yesterday", "2024-02-30T00:15:00Z", "２０２４-03-01T00:15:00Z", new string('2', 5000), "1709222400",
            "2024-03-01T24:00:00Z", "2024-03-01T00:15:00ZZ", "T00:15:00Z", "2024-W09-5T00:15:00Z", "<time/>", "2024-03-01T00:15:00+08:00'; --",
        ];
        for (int i = 0; i < badTimes.Length; i++)
        {
            string time = badTimes[i];
            Add($"timestamp invalid #{i:D2}", (m, n) => U(Document(m, n, badTime: J(time))), quarantined("InvalidTimestamp"));
        }

        foreach (string offset in new[] { "07:00", "15:30", "15:00.5", "14:59", "00:01" })
        {
            Add($"timestamp misaligned {offset}", (m, n) => U(Document(m, n, badTime: J($"2024-03-01T00:{offset}+08:00"))), quarantined("MisalignedInterval"));
        }

        foreach (string v in new[] { "1709222400", "true", "null", "{}", "[\"2024-03-01T00:15:00Z\"]" })
        {
            Add($"timestamp of JSON type {v}", (m, n) => U(Document(m, n, badTime: v)), quarantined(null));
        }

        string[] badTypes =
        [
            "", "1.2.3", "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72", "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0.0", "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.99999999999",
            "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.38.0", "0.0.3.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r",
            "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0;DROP", "-0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0", "..................", "<ref/>",
        ];
        for (int i = 0; i < badTypes.Length; i++)
        {
            string type = badTypes[i];
            Add($"reading type unknown #{i:D2}", (m, n) => U(Document(m, n, badType: J(type))), quarantined("UnknownReadingType"));
        }

        foreach (string q in new[] { "X", "1.2", "1.2.3.4", "3.8.99999999999", "-1.0.0", "estimatedd", "3..8", "<q/>", "3.8.0;DROP" })
        {
            Add($"quality invalid {J(q)}", (m, n) => U(Document(m, n, badQuality: J(q))), quarantined("InvalidQuality"));
        }

        // 2. Whole documents the parser cannot use: refused with its rule, nothing stored.
        foreach ((string name, string body, string rule) in new (string, string, string)[]
        {
            ("null", "null", "MissingField"), ("array", "[]", "MissingField"), ("empty object", "{}", "MissingField"),
            ("MeterReading object", "{\"MeterReading\":{}}", "MissingField"), ("wrong case", "{\"meterreading\":[]}", "MissingField"),
            ("just a string", "\"x\"", "MissingField"), ("number", "42", "MissingField"), ("trailing comma", "{\"MeterReading\":[],}", "MalformedDocument"),
            ("single quotes", "{'MeterReading':[]}", "MalformedDocument"), ("comment", "{\"MeterReading\":[]} // c", "MalformedDocument"),
            ("bare NaN", "{\"MeterReading\":[NaN]}", "MalformedDocument"), ("two documents", "{\"MeterReading\":[]}{\"MeterReading\":[]}", "MalformedDocument"),
            ("deep arrays", new string('[', 10_000) + new string(']', 10_000), "TooDeeplyNested"),
            ("deep inside", "{\"MeterReading\":" + new string('[', 100) + new string(']', 100) + "}", "TooDeeplyNested"),
            ("XML sent as JSON", "<MeterReadings/>", "MalformedDocument"), ("CSV sent as JSON", "M1,AI,2024-03-01T00:00:00Z,15,1,V", "MalformedDocument"),
        })
        {
            Add($"document {name}", (_, _) => U(body), new Expectation(400, rule));
        }

        // 3. Truncated anywhere: a document cut short is refused (and its good item not stored).
        for (int cut = 1; cut <= 60; cut++)
        {
            int k = cut;
            Add($"truncated at {k}/61", (m, n) =>
            {
                byte[] full = U(Document(m, n));
                return full[..(full.Length * k / 61)];
            }, new Expectation(400, null));
        }

        // 4. Not UTF-8: invalid bytes at positions through the document, and other encodings.
        for (int at = 1; at <= 30; at++)
        {
            int k = at;
            Add($"invalid UTF-8 byte at {k}/31", (m, n) =>
            {
                byte[] full = U(Document(m, n));
                full[full.Length * k / 31] = 0xFF;
                return full;
            }, new Expectation(400, "InvalidEncoding"));
        }

        Add("UTF-16 LE with BOM", (m, n) => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Document(m, n))], new Expectation(400, "InvalidEncoding"));
        Add("UTF-16 BE with BOM", (m, n) => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Document(m, n))], new Expectation(400, "InvalidEncoding"));
        Add("UTF-32 LE without BOM", (m, n) => Encoding.UTF32.GetBytes(Document(m, n)), new Expectation(400, "MalformedDocument"));
        Add("Latin-1 é in a meter", (m, n) => [.. U(Document(m, n))[..^3], 0xE9, .. U("\"}")], new Expectation(400, null));
        Add("overlong slash", (m, n) => [.. U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M"), 0xC0, 0xAF, .. U("\"}}]}")], new Expectation(400, "InvalidEncoding"));
        Add("UTF-8 encoded surrogate", (m, n) => [.. U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M"), 0xED, 0xA0, 0x80, .. U("\"}}]}")], new Expectation(400, "InvalidEncoding"));
        Add("GBK bytes", (m, n) => [.. U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\""), 0xB5, 0xE7, 0xB1, 0xED, .. U("\"}}]}")], new Expectation(400, "InvalidEncoding"));

        // 5. Size and media type.
        Add("over the size limit", (_, _) => [.. U("{\"MeterReading\":["), .. Enumerable.Repeat((byte)' ', 4 * 1024 * 1024)], new Expectation(413, "max-size"));
        Add("empty body", (_, _) => [], new Expectation(400, "required"));
        Add("content type text/plain", (m, n) => U(Document(m, n)), new Expectation(415, "json-required", "text/plain"));
        Add("content type application/xml", (m, n) => U(Document(m, n)), new Expectation(415, "json-required", "application/xml"));
        Add("content type form", (m, n) => U(Document(m, n)), new Expectation(415, "json-required", "application/x-www-form-urlencoded"));
        return cases;
    }
}
