using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>Bulk meter-reading files, uploaded and dropped, against Azurite and the LocalHost through HTTP.</summary>
[Collection(BackendCollection.Name)]
public class ReadingFileTests(BackendFixture backend)
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    HttpClient Client => backend.Client;

    [Fact]
    public async Task UploadFile_CsvExportOfSeveralMetersAndDays_ProcessedInBatchesAndCurvesShowTheValues()
    {
        string[] meters = [await ReadingJson.CreateMeterAsync(Client, "TA0001"), await ReadingJson.CreateMeterAsync(Client, "TA0002", ctRatio: 2), await ReadingJson.CreateMeterAsync(Client, "TA0003")];
        DateOnly first = new(2025, 5, 1);
        // 3 meters × 18 days × 96 = 5,184 values: more than one batch of 5,000, split on whole meter-days.
        string csv = Csv(meters.SelectMany(m => Enumerable.Range(0, 18).Select(d => (m, first.AddDays(d), 0.25m))));

        HttpResponseMessage started = await UploadAsync(csv, "text/csv");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string fileId = await FileIdAsync(started);
        Assert.Equal(Sha256(csv), fileId);
        Assert.Equal($"/api/meter-readings/files/{fileId}", started.Headers.Location?.ToString());
        JsonElement status = await WaitAsync(fileId);
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("batchesTotal").GetInt32());
        Assert.Equal(2, status.GetProperty("batchesDone").GetInt32());
        JsonElement counts = status.GetProperty("counts");
        Assert.Equal(5_184, counts.GetProperty("received").GetInt32());
        Assert.Equal(5_184, counts.GetProperty("accepted").GetInt32());
        Assert.Equal(0, counts.GetProperty("quarantined").GetInt32());
        Assert.Empty(status.GetProperty("quarantineBlobs").EnumerateArray());

        foreach ((string meter, decimal expected) in new[] { (meters[0], 0.25m), (meters[1], 0.5m), (meters[2], 0.25m) })
        {
            foreach (DateOnly day in new[] { first, first.AddDays(17) })
            {
                JsonElement curve = await CurveAsync(meter, day);
                Assert.All(curve.GetProperty("points").EnumerateArray(), p => Assert.Equal(expected, p.GetProperty("value").GetDecimal()));
            }
        }

        // The file is archived once, whole, as the raw payload of every reading in it.
        string rawBlob = status.GetProperty("rawBlob").GetString()!;
        Assert.EndsWith($"/file/{fileId}.csv", rawBlob, StringComparison.Ordinal);
        BlobContainerClient raw = new(backend.StorageConnectionString, "meter-raw");
        Assert.Equal(csv, (await raw.GetBlobClient(rawBlob).DownloadContentAsync()).Value.Content.ToString());
        Assert.Single(raw.GetBlobs(), b => b.Name.Contains(fileId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadFile_JsonAndXmlDocuments_CurvesShowTheValues()
    {
        string jsonMeter = await ReadingJson.CreateMeterAsync(Client), xmlMeter = await ReadingJson.CreateMeterAsync(Client, "TA0004");
        DateOnly day = new(2025, 5, 20);
        string json = ReadingJson.Document(jsonMeter, day, ReadingJson.Day(0.3m)).ToJsonString();
        string xml = Xml(xmlMeter, day, 0.4m, registers: true);

        string jsonId = await FileIdAsync(await UploadAsync(json, "application/json"));
        string xmlId = await FileIdAsync(await UploadAsync(xml, "text/xml"));

        JsonElement jsonStatus = await WaitAsync(jsonId), xmlStatus = await WaitAsync(xmlId);
        Assert.Equal("Completed", jsonStatus.GetProperty("status").GetString());
        Assert.Equal("json", jsonStatus.GetProperty("format").GetString());
        Assert.Equal(96, jsonStatus.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.Equal("Completed", xmlStatus.GetProperty("status").GetString());
        Assert.Equal("xml", xmlStatus.GetProperty("format").GetString());
        Assert.Equal(96 + 1, xmlStatus.GetProperty("counts").GetProperty("accepted").GetInt32()); // the intervals and the register read
        Assert.Equal(1, xmlStatus.GetProperty("counts").GetProperty("registers").GetInt32());
        Assert.Equal(1, xmlStatus.GetProperty("counts").GetProperty("events").GetInt32());
        Assert.All((await CurveAsync(jsonMeter, day)).GetProperty("points").EnumerateArray(), p => Assert.Equal(0.3m, p.GetProperty("value").GetDecimal()));
        Assert.All((await CurveAsync(xmlMeter, day)).GetProperty("points").EnumerateArray(), p => Assert.Equal(0.4m, p.GetProperty("value").GetDecimal()));
    }

    [Fact]
    public async Task UploadFile_SameFileAgain_SameIdAndNothingChanges()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 5, 21);
        string csv = Csv([(meter, day, 0.2m)]);
        string fileId = await FileIdAsync(await UploadAsync(csv, "text/csv"));
        JsonElement before = await WaitAsync(fileId);
        JsonElement curveBefore = await CurveAsync(meter, day);
        JsonElement monthBefore = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-05");

        HttpResponseMessage again = await UploadAsync(csv, "text/csv");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(fileId, await FileIdAsync(again));
        Assert.Equal($"/api/meter-readings/files/{fileId}", again.Headers.Location?.ToString());
        JsonElement after = await WaitAsync(fileId);
        Assert.Equal(before.GetProperty("counts").GetRawText(), after.GetProperty("counts").GetRawText());
        Assert.Equal(before.GetProperty("lastUpdatedAt").GetString(), after.GetProperty("lastUpdatedAt").GetString());
        JsonElement curveAfter = await CurveAsync(meter, day);
        Assert.Equal(curveBefore.GetProperty("eTag").GetString(), curveAfter.GetProperty("eTag").GetString());
        Assert.Equal(1, curveAfter.GetProperty("revision").GetInt64());
        Assert.Equal(monthBefore.GetRawText(), (await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-05")).GetRawText());
    }

    [Fact]
    public async Task UploadFile_SameFileTwiceAtOnce_BothAnsweredWithOneFile()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 5, 28);
        string csv = Csv([(meter, day, 0.15m)]);

        HttpResponseMessage[] responses = await Task.WhenAll(UploadAsync(csv, "text/csv"), UploadAsync(csv, "text/csv"));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, r.StatusCode.ToString()));
        string[] ids = await Task.WhenAll(responses.Select(FileIdAsync));
        Assert.Equal(ids[0], ids[1]);
        JsonElement status = await WaitAsync(ids[0]);
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(96, status.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.Equal(1, (await CurveAsync(meter, day)).GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task PushAndFile_SameReadingsEitherWay_SecondDeliveryIsAllDuplicates()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day1 = new(2025, 5, 22), day2 = day1.AddDays(1);
        JsonElement pushed = await PostJsonAsync(ReadingJson.Document(meter, day1, ReadingJson.Day(0.25m)).ToJsonString());
        Assert.Equal(96, pushed.GetProperty("counts").GetProperty("accepted").GetInt32());
        string etagDay1 = (await CurveAsync(meter, day1)).GetProperty("eTag").GetString()!;

        // The file repeats the pushed day and adds the next one.
        JsonElement file = await WaitAsync(await FileIdAsync(await UploadAsync(Csv([(meter, day1, 0.25m), (meter, day2, 0.25m)]), "text/csv")));
        JsonElement pushedAgain = await PostJsonAsync(ReadingJson.Document(meter, day2, ReadingJson.Day(0.25m)).ToJsonString());

        Assert.Equal(96, file.GetProperty("counts").GetProperty("duplicate").GetInt32());
        Assert.Equal(96, file.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.Equal(96, pushedAgain.GetProperty("counts").GetProperty("duplicate").GetInt32());
        Assert.Equal(etagDay1, (await CurveAsync(meter, day1)).GetProperty("eTag").GetString());
        JsonElement month = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2025-05");
        Assert.Equal(48m, month.GetProperty("energy").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task UploadFile_SomeBadRows_ProcessesTheRestAndQuarantinesEachWithItsReason()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        string unknown = "NOSUCH" + Guid.NewGuid().ToString("N")[..10];
        DateOnly day = new(2025, 5, 24);
        StringBuilder csv = new(Csv([(meter, day, 0.25m)]));
        csv.Append("this,is,not,a,reading\n");                                                  // parser: MalformedLine
        csv.Append($"{meter},AI,2025-05-24T10:00:00,15,0.25,V\n");                                // parser: InvalidTimestamp (no offset)
        csv.Append($"{meter},AI,{ReadingJson.SlotStart(day.AddDays(1), 0)},15,abc,V\n");          // parser: InvalidNumber
        csv.Append($"{unknown},AI,{ReadingJson.SlotStart(day, 0)},15,0.25,V\n");                  // pipeline: UnknownMeter
        csv.Append($"{unknown},AI,{ReadingJson.SlotStart(day, 1)},15,0.25,V\n");                  // pipeline: UnknownMeter
        csv.Append($"{meter},AI,{ReadingJson.SlotStart(day.AddDays(1), 0)},15,-1,V\n");           // VEE: NegativeConsumption

        JsonElement status = await WaitAsync(await FileIdAsync(await UploadAsync(csv.ToString(), "text/csv")));

        Assert.Equal("Completed", status.GetProperty("status").GetString());
        JsonElement counts = status.GetProperty("counts");
        Assert.Equal(102, counts.GetProperty("received").GetInt32());
        Assert.Equal(96, counts.GetProperty("accepted").GetInt32());
        Assert.Equal(6, counts.GetProperty("quarantined").GetInt32());
        Assert.All((await CurveAsync(meter, day)).GetProperty("points").EnumerateArray(), p => Assert.Equal(0.25m, p.GetProperty("value").GetDecimal()));

        string[] blobs = [.. status.GetProperty("quarantineBlobs").EnumerateArray().Select(b => b.GetString()!)];
        Assert.Equal(2, blobs.Length);
        BlobContainerClient quarantine = new(backend.StorageConnectionString, "meter-quarantine");
        List<(string Position, string Reason)> items = [];
        foreach (string blob in blobs)
        {
            JsonElement document = JsonDocument.Parse((await quarantine.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToString()).RootElement;
            Assert.Equal(status.GetProperty("rawBlob").GetString(), document.GetProperty("rawBlob").GetString());
            items.AddRange(document.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("position").GetString()!, i.GetProperty("reason").GetString()!)));
        }

        // Parser rejections keep their line; pipeline quarantines their position among the file's interval values.
        Assert.Equal(
            [("interval[96]", "UnknownMeter"), ("interval[97]", "UnknownMeter"), ("interval[98]", "NegativeConsumption"), ("line 100", "InvalidNumber"), ("line 98", "MalformedLine"), ("line 99", "InvalidTimestamp")],
            items.OrderBy(i => i.Position, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task DropFile_ScanFired_TakenInLikeAnUploadAndOthersMovedAsideWithReason()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        DateOnly day = new(2025, 5, 26);
        string csv = Csv([(meter, day, 0.35m)]);
        string name = $"headend-{Guid.NewGuid():N}/export.csv", notes = $"notes-{Guid.NewGuid():N}.txt", garbage = $"garbage-{Guid.NewGuid():N}.json";
        BlobContainerClient drop = new(backend.StorageConnectionString, "meter-drop");
        await drop.CreateIfNotExistsAsync();
        await drop.UploadBlobAsync(name, BinaryData.FromString(csv));
        await drop.UploadBlobAsync(notes, BinaryData.FromString("call the head-end vendor"));
        await drop.UploadBlobAsync(garbage, BinaryData.FromString("{\"MeterReading\":"));

        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        HttpResponseMessage fired = await admin.PostAsync("admin/functions/ScanReadingFileDrop", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);
        BlobClient marker = drop.GetBlobClient($"processed/{name}.json");
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await marker.ExistsAsync()).Value || (await drop.GetBlobClient(name).ExistsAsync()).Value || (await drop.GetBlobClient(garbage).ExistsAsync()).Value)
        {
            Assert.True(DateTime.UtcNow < deadline, "the drop was not scanned:\n" + backend.Host.Output);
            await Task.Delay(250);
        }

        string fileId = JsonDocument.Parse((await marker.DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("fileId").GetString()!;
        Assert.Equal(Sha256(csv), fileId);
        JsonElement status = await WaitAsync(fileId);
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal($"drop:{name}", status.GetProperty("origin").GetString());
        Assert.Equal(96, status.GetProperty("counts").GetProperty("accepted").GetInt32());
        Assert.All((await CurveAsync(meter, day)).GetProperty("points").EnumerateArray(), p => Assert.Equal(0.35m, p.GetProperty("value").GetDecimal()));

        // Not silently dropped: moved aside, each with its reason.
        Assert.False((await drop.GetBlobClient(notes).ExistsAsync()).Value);
        Assert.Equal("call the head-end vendor", (await drop.GetBlobClient($"rejected/{notes}").DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal("extension", await ReasonRuleAsync(drop, notes));
        Assert.Equal("MalformedDocument", await ReasonRuleAsync(drop, garbage));

        // The same bytes uploaded are the same file: nothing new happens.
        HttpResponseMessage uploaded = await UploadAsync(csv, "text/csv");
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Equal(fileId, await FileIdAsync(uploaded));
    }

    public static TheoryData<string, string, string, int, string> UnusableFiles => new()
    {
        // name, content type, body (BASE64: prefix = raw bytes), expected status, expected rule
        { "binary as CSV", "text/csv", "BASE64:" + Convert.ToBase64String([0x50, 0x4B, 0x03, 0x04, 0xC3, 0x28, 0xFF, 0xFE, 0x00, 0x9F]), 400, "InvalidEncoding" },
        { "truncated JSON", "application/json", "{\"MeterReading\":[{\"Meter\":", 400, "MalformedDocument" },
        { "JSON without MeterReading", "application/json", "{\"readings\":[]}", 400, "MissingField" },
        { "XML that is not XML", "application/xml", "<MeterReadings><MeterReading>", 400, "MalformedDocument" },
        { "XML with a DTD", "text/xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><MeterReadings/>", 400, "DtdProhibited" },
        { "CSV of prose", "text/csv", "Dear operator,\nplease find the export attached.\n", 422, "no-readings" },
        { "empty", "text/csv", "", 400, "required" },
    };

    [Theory]
    [MemberData(nameof(UnusableFiles))]
    public async Task UploadFile_Unusable_ProblemNamingTheRuleAndNothingStored(string name, string contentType, string body, int status, string rule)
    {
        byte[] bytes = body.StartsWith("BASE64:", StringComparison.Ordinal) ? Convert.FromBase64String(body["BASE64:".Length..]) : Encoding.UTF8.GetBytes(body);

        HttpResponseMessage response = await UploadAsync(bytes, contentType);

        await Problem.AssertAsync(response, (HttpStatusCode)status, "body", rule);
        string fileId = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/meter-readings/files/{fileId}")).StatusCode);
        BlobContainerClient files = new(backend.StorageConnectionString, "meter-files");
        Assert.False(await files.ExistsAsync() && files.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, fileId, CancellationToken.None).Any(), name);
    }

    [Fact]
    public async Task UploadFile_UnsupportedContentType_Returns415()
    {
        HttpResponseMessage response = await UploadAsync(Csv([("M1", new DateOnly(2025, 5, 1), 0.1m)]), "text/plain");

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type", "reading-file-type");
    }

    [Fact]
    public async Task GetFile_UnknownOrMalformedId_Returns404Or400()
    {
        await Problem.AssertAsync(await Client.GetAsync($"api/meter-readings/files/{new string('a', 64)}"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await Client.GetAsync("api/meter-readings/files/not-an-id"), HttpStatusCode.BadRequest, "fileId", "file-id-format");
    }

    /// <summary>A head-end daily export: one line per 15-minute value of each (meter, day), every slot the same value.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public async Task UploadFile_ExactlyTheLimitAndOneByteMore_ProcessedAnd413(bool chunked, int dayOfMonth)
    {
        // The documented limit is 64 MiB (ReadingFiles__MaxFileBytes); Kestrel's default of 30,000,000 used to answer an
        // empty 500 from there on. A JSON document padded with trailing whitespace to exactly the limit is processed.
        const int limit = 64 * 1024 * 1024;
        string meter = await ReadingJson.CreateMeterAsync(Client);
        byte[] document = Encoding.UTF8.GetBytes(ReadingJson.Document(meter, new DateOnly(2025, 3, dayOfMonth), ReadingJson.Day(0.2m)).ToJsonString());

        HttpResponseMessage atLimit = await SendSizedAsync("api/meter-readings/files", Padded(document, limit), "application/json", chunked);
        HttpResponseMessage overLimit = await SendSizedAsync("api/meter-readings/files", Padded(document, limit + 1), "application/json", chunked);

        Assert.Equal(HttpStatusCode.Accepted, atLimit.StatusCode);
        JsonElement status = await WaitAsync(await FileIdAsync(atLimit));
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(96, status.GetProperty("counts").GetProperty("accepted").GetInt32());
        await Problem.AssertAsync(overLimit, HttpStatusCode.RequestEntityTooLarge, "body", "max-size");
    }

    [Fact]
    public async Task UploadFile_TwentyIdenticalFirstUploadsAtOnce_OneGets202AndTheRest200WithTheSameId()
    {
        string meter = await ReadingJson.CreateMeterAsync(Client);
        string csv = Csv([(meter, new DateOnly(2025, 3, 20), 0.3m)]);

        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => UploadAsync(csv, "text/csv")));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        string[] ids = await Task.WhenAll(answers.Select(FileIdAsync));
        Assert.All(ids, id => Assert.Equal(Sha256(csv), id));
        Assert.Equal("Completed", (await WaitAsync(ids[0])).GetProperty("status").GetString());
    }

    /// <summary><paramref name="document"/> followed by spaces up to <paramref name="length"/> bytes (trailing whitespace is valid JSON).</summary>
    internal static byte[] Padded(byte[] document, int length, byte pad = (byte)' ')
    {
        byte[] body = new byte[length];
        document.CopyTo(body, 0);
        body.AsSpan(document.Length).Fill(pad);
        return body;
    }

    /// <summary>Posts <paramref name="body"/> with a Content-Length, or chunked (no length for the server to check first).</summary>
    internal static Task<HttpResponseMessage> SendSizedAsync(HttpClient client, string path, byte[] body, string contentType, bool chunked)
    {
        ByteArrayContent content = new(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        HttpRequestMessage request = new(HttpMethod.Post, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        return client.SendAsync(request);
    }

    Task<HttpResponseMessage> SendSizedAsync(string path, byte[] body, string contentType, bool chunked) => SendSizedAsync(Client, path, body, contentType, chunked);

    static string Csv(IEnumerable<(string Meter, DateOnly Day, decimal Value)> meterDays)
    {
        StringBuilder csv = new("meter,readingType,intervalStart,intervalMinutes,value,quality\n");
        foreach ((string meter, DateOnly day, decimal value) in meterDays)
        {
            for (int slot = 0; slot < 96; slot++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{meter},AI,{ReadingJson.SlotStart(day, slot)},15,{value},V\n");
            }
        }

        return csv.ToString();
    }

    /// <summary>An IEC 61968-9 MeterReadings XML document of one meter-day, optionally with a register read and an event.</summary>
    static string Xml(string meter, DateOnly day, decimal value, bool registers)
    {
        StringBuilder xml = new("<?xml version=\"1.0\" encoding=\"utf-8\"?><MeterReadings xmlns=\"http://iec.ch/TC57/2011/MeterReadings#\"><MeterReading>");
        xml.Append(CultureInfo.InvariantCulture, $"<Meter><mRID>{meter}</mRID></Meter><IntervalBlocks><ReadingType ref=\"{ReadingJson.ActiveImport15}\"/>");
        for (int slot = 0; slot < 96; slot++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<IntervalReadings><timePeriod><start>{ReadingJson.SlotStart(day, slot)}</start></timePeriod><value>{value}</value></IntervalReadings>");
        }

        xml.Append("</IntervalBlocks>");
        if (registers)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Readings><ReadingType ref=\"0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"/><timeStamp>{ReadingJson.SlotStart(day.AddDays(1), 0)}</timeStamp><value>1234.5</value></Readings>");
            xml.Append(CultureInfo.InvariantCulture, $"<EndDeviceEvents><EndDeviceEventType ref=\"3.12.0.257\"/><createdDateTime>{ReadingJson.SlotStart(day, 40)}</createdDateTime></EndDeviceEvents>");
        }

        return xml.Append("</MeterReading></MeterReadings>").ToString();
    }

    Task<HttpResponseMessage> UploadAsync(string body, string contentType) => UploadAsync(Encoding.UTF8.GetBytes(body), contentType);

    Task<HttpResponseMessage> UploadAsync(byte[] body, string contentType)
    {
        ByteArrayContent content = new(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return Client.PostAsync("api/meter-readings/files", content);
    }

    static async Task<string> FileIdAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("fileId").GetString()!;
    }

    async Task<JsonElement> WaitAsync(string fileId)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        JsonElement status = default;
        while (DateTime.UtcNow < deadline)
        {
            HttpResponseMessage response = await Client.GetAsync($"api/meter-readings/files/{fileId}");
            if (response.IsSuccessStatusCode)
            {
                status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (status.GetProperty("status").GetString() is "Completed" or "Failed" or "Terminated")
                {
                    return status;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Reading file {fileId} did not finish in {Patience}; last status: {status}\n{backend.Host.Output}");
    }

    Task<JsonElement> CurveAsync(string meter, DateOnly day) =>
        GetJsonAsync($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI");

    Task<JsonElement> GetJsonAsync(string path) => HttpJson.GetOkAsync(Client, path);

    async Task<JsonElement> PostJsonAsync(string json)
    {
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(Encoding.UTF8.GetBytes(json)));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"push: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    static async Task<string> ReasonRuleAsync(BlobContainerClient drop, string name) =>
        JsonDocument.Parse((await drop.GetBlobClient($"rejected/{name}.reason.json").DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("rule").GetString()!;

    static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
