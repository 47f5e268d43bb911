using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.Archive;

[Collection(BackendCollection.Name)]
public class ArchiveImportTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task Import_FileWithBadRows_KeepsGoodRowsAndReportsEachBadRow()
    {
        const int customers = 600, badRows = 25;
        string csv = new DemoUtility(customers, seed: 7, areas: 12).ArchiveCsv(badRows, accountOffset: 10_000_000);

        HttpResponseMessage started = await ImportClient.PostAsync(Client, csv);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string importId = await ImportClient.ImportIdAsync(started);
        Assert.Equal($"/api/archive/imports/{importId}", started.Headers.Location?.ToString());
        JsonElement status = await ImportClient.WaitAsync(Client, importId, TimeSpan.FromMinutes(3));
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(customers, status.GetProperty("totalRows").GetInt32());
        Assert.Equal(customers - badRows, status.GetProperty("rowsImported").GetInt32());
        Assert.Equal(badRows, status.GetProperty("rowsFailed").GetInt32());
        Assert.Equal(customers, status.GetProperty("rowsDone").GetInt32());

        HttpResponseMessage report = await Client.GetAsync(status.GetProperty("errorReportUrl").GetString()!.TrimStart('/'));
        Assert.Equal("text/csv", report.Content.Headers.ContentType?.MediaType);
        string[] lines = (await report.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,field,rule,message", lines[0]);
        int[] reportedRows = lines.Skip(1).Select(l => int.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToArray();
        Assert.Equal(badRows, reportedRows.Length);

        // Each reported row is really bad in the file, and its account was not stored; the rows around it were.
        string[] fileLines = csv.Split('\n');
        foreach (int row in reportedRows.Take(5))
        {
            string account = fileLines[row - 1][..10];
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/customers/{account}")).StatusCode);
        }

        string goodAccount = fileLines.Skip(1).Select((l, i) => (Line: l, Row: i + 2)).First(x => !reportedRows.Contains(x.Row)).Line[..10];
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"api/customers/{goodAccount}")).StatusCode);
    }

    [Theory]
    [InlineData(false, 30_100_000)]
    [InlineData(true, 30_200_000)]
    public async Task Import_ExactlyTheLimitAndOneByteMore_ProcessedAnd413(bool chunked, int accountOffset)
    {
        // The documented limit is 50 MiB (Archive__MaxImportBytes). Blank lines pad a small file to exactly that size.
        const int limit = 50 * 1024 * 1024;
        byte[] csv = System.Text.Encoding.UTF8.GetBytes(new DemoUtility(5, seed: 13, areas: 12).ArchiveCsv(accountOffset: accountOffset));

        HttpResponseMessage atLimit = await Ingestion.ReadingFileTests.SendSizedAsync(Client, "api/archive/imports", Ingestion.ReadingFileTests.Padded(csv, limit, (byte)'\n'), "text/csv", chunked);
        HttpResponseMessage overLimit = await Ingestion.ReadingFileTests.SendSizedAsync(Client, "api/archive/imports", Ingestion.ReadingFileTests.Padded(csv, limit + 1, (byte)'\n'), "text/csv", chunked);

        Assert.Equal(HttpStatusCode.Accepted, atLimit.StatusCode);
        JsonElement status = await ImportClient.WaitAsync(Client, await ImportClient.ImportIdAsync(atLimit), TimeSpan.FromMinutes(3));
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(5, status.GetProperty("rowsImported").GetInt32());
        await Problem.AssertAsync(overLimit, HttpStatusCode.RequestEntityTooLarge, "body", "max-size");
    }

    [Fact]
    public async Task Import_TwentyIdenticalFirstPostsAtOnce_OneGets202AndTheRest200WithTheSameId()
    {
        string csv = new DemoUtility(3, seed: 17, areas: 12).ArchiveCsv(accountOffset: 30_300_000);

        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ImportClient.PostAsync(Client, csv)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Single((await Task.WhenAll(answers.Select(ImportClient.ImportIdAsync))).Distinct());
    }

    [Fact]
    public async Task Import_SameFileTwice_SecondChangesNothing()
    {
        string csv = new DemoUtility(120, seed: 11, areas: 12).ArchiveCsv(accountOffset: 20_000_000);
        HttpResponseMessage first = await ImportClient.PostAsync(Client, csv);
        string importId = await ImportClient.ImportIdAsync(first);
        await ImportClient.WaitAsync(Client, importId, TimeSpan.FromMinutes(2));
        TableClient customers = new TableServiceClient(backend.StorageConnectionString).GetTableClient("Customers");
        Dictionary<string, string> before = Snapshot(customers, "3120000000", "3120000119");

        HttpResponseMessage again = await ImportClient.PostAsync(Client, csv);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(importId, await ImportClient.ImportIdAsync(again));
        await ImportClient.WaitAsync(Client, importId, TimeSpan.FromMinutes(2));
        Assert.Equal(120, before.Count);
        Assert.Equal(before, Snapshot(customers, "3120000000", "3120000119"));
    }

    [Fact]
    public async Task Import_MeterHeldByAnExistingAccount_RefusesOnlyThatCustomer()
    {
        const int offset = 30_000_000;
        string takenMeter = $"MTR{offset + 5:D9}";
        (string holder, _) = CustomerJson.NextIds();
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(holder, takenMeter)))).StatusCode);
        string csv = new DemoUtility(40, seed: 13, areas: 12).ArchiveCsv(accountOffset: offset);

        string importId = await ImportClient.ImportIdAsync(await ImportClient.PostAsync(Client, csv));
        JsonElement status = await ImportClient.WaitAsync(Client, importId, TimeSpan.FromMinutes(2));

        Assert.Equal(39, status.GetProperty("rowsImported").GetInt32());
        Assert.Equal(1, status.GetProperty("rowsFailed").GetInt32());
        string report = await Client.GetStringAsync($"api/archive/imports/{importId}/errors");
        Assert.Contains("meter-belongs-to-other-account", report, StringComparison.Ordinal);
        Assert.Contains(holder, report, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/customers/{3100000000L + offset + 5}")).StatusCode);
        JsonElement stillHeld = JsonDocument.Parse(await Client.GetStringAsync($"api/customers/{holder}")).RootElement;
        Assert.Equal(takenMeter, stillHeld.GetProperty("servicePoints")[0].GetProperty("meters")[0].GetProperty("meterNo").GetString());
    }

    [Fact]
    public async Task Import_RowWithUnknownTariffCode_ReportsThatRowAndImportsTheRest()
    {
        const int offset = 40_000_000;
        string[] lines = new DemoUtility(30, seed: 23, areas: 12).ArchiveCsv(accountOffset: offset).Split('\n');
        const int badRow = 8; // spreadsheet numbering: the header is row 1
        string known = TariffSeed.DemoTariffs.Select(t => t.Code).First(c => lines[badRow - 1].Contains($",{c},", StringComparison.Ordinal));
        lines[badRow - 1] = lines[badRow - 1].Replace($",{known},", ",SH-UNKNOWN,", StringComparison.Ordinal);

        string importId = await ImportClient.ImportIdAsync(await ImportClient.PostAsync(Client, string.Join('\n', lines)));
        JsonElement status = await ImportClient.WaitAsync(Client, importId, TimeSpan.FromMinutes(2));

        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(29, status.GetProperty("rowsImported").GetInt32());
        Assert.Equal(1, status.GetProperty("rowsFailed").GetInt32());
        string[] report = (await Client.GetStringAsync($"api/archive/imports/{importId}/errors")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string error = Assert.Single(report.Skip(1));
        Assert.StartsWith($"{badRow},\"tariff_code\",\"unknown-tariff-code\",", error, StringComparison.Ordinal);
        Assert.Contains("SH-UNKNOWN", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/customers/{lines[badRow - 1][..10]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"api/customers/{lines[badRow][..10]}")).StatusCode);
    }

    [Theory]
    [InlineData("account_no,name\n1,x\n", "class", "missing-column")]
    [InlineData("\n", "account_no", "missing-column")]
    public async Task Import_MissingColumns_Returns400BeforeAnyWork(string csv, string field, string rule)
    {
        HttpResponseMessage response = await ImportClient.PostAsync(Client, csv);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task Import_EmptyBody_Returns400()
    {
        HttpResponseMessage response = await ImportClient.PostAsync(Client, string.Empty);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "body", "required");
    }

    [Fact]
    public async Task Import_JsonBody_Returns415()
    {
        HttpResponseMessage response = await Client.PostAsync("api/archive/imports", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    public async Task ImportStatus_MalformedId_Returns400(string id)
    {
        await Problem.AssertAsync(await Client.GetAsync($"api/archive/imports/{id}"), HttpStatusCode.BadRequest, "importId");
    }

    [Fact]
    public async Task ImportStatus_UnknownId_Returns404()
    {
        await Problem.AssertAsync(await Client.GetAsync($"api/archive/imports/{new string('a', 32)}"), HttpStatusCode.NotFound);
    }

    static Dictionary<string, string> Snapshot(TableClient table, string fromAccount, string toAccount) =>
        table.Query<TableEntity>(e => e.RowKey.CompareTo(fromAccount) >= 0 && e.RowKey.CompareTo(toAccount) <= 0)
            .ToDictionary(e => e.RowKey, e => e.ETag.ToString());
}
