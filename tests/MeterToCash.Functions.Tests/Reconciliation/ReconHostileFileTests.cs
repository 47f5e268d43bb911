using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Tests.Infrastructure;
using static MeterToCash.Functions.Tests.Reconciliation.ReconKit;

namespace MeterToCash.Functions.Tests.Reconciliation;

/// <summary>
/// Files unusable as a whole, through HTTP: each is refused with 4xx problem+json naming its rule, and nothing of it is
/// stored but the original and its reason (<c>recon-files/rejected/{sha256}</c>); no channel day, file or item row.
/// </summary>
[Collection(BackendCollection.Name)]
public class ReconHostileFileTests(BackendFixture backend)
{
    static readonly DateOnly Day5 = new(2026, 3, 5);

    const string Camt = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08";

    static string GoodCsv(string count = "1", string sum = "1000", string channel = Channel) =>
        $"#MTC-RECON,v1,{channel},2026-03-05,{count},{sum}\nbankRef,channelTxnId,accountNo,amountFen,type,paidAt,channelDate\nB1,T1,3100000001,1000,PAY,2026-03-05T10:00:00+08:00,2026-03-05\n";

    public static TheoryData<string, byte[], bool, int, string> Files() => new()
    {
        { "control total", Encoding.UTF8.GetBytes(GoodCsv(sum: "1001")), true, 422, ReconRules.ControlTotalMismatch },
        { "control count", Encoding.UTF8.GetBytes(GoodCsv(count: "2")), true, 422, ReconRules.ControlTotalMismatch },
        { "invalid UTF-8", [.. Encoding.UTF8.GetBytes(GoodCsv()), 0xC3, 0x28], true, 400, ReconRules.EncodingInvalid },
        { "unknown channel", Encoding.UTF8.GetBytes(GoodCsv(channel: "BANK-NOPE")), true, 422, "unknown-channel" },
        { "header", Encoding.UTF8.GetBytes("bankRef,channelTxnId\nB1,T1\n"), true, 400, ReconRules.HeaderInvalid },
        { "empty", [], true, 400, ReconRules.FileEmpty },
        {
            "XML bomb", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                + $"<Document xmlns=\"{Camt}\"><BkToCstmrStmt><Stmt><Ntry>&lol2;</Ntry></Stmt></BkToCstmrStmt></Document>"), false, 400, ReconRules.DtdProhibited
        },
        {
            "external entity", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + $"<Document xmlns=\"{Camt}\">&x;</Document>"), false, 400, ReconRules.DtdProhibited
        },
        { "truncated", Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><Document xmlns=\"{Camt}\"><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"CNY\">10.0"), false, 400, ReconRules.XmlMalformed },
        { "wrong namespace", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>"), false, 400, ReconRules.NamespaceUnsupported },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Upload_FileUnusableAsAWhole_RefusedWithRuleOnlyOriginalAndReasonKept(string what, byte[] bytes, bool csv, int status, string rule)
    {
        int daysBefore = Rows(ReconDaysTable), filesBefore = Rows("ReconFiles");
        (HttpStatusCode answered, JsonElement problem) = await UploadAsync(backend.Client, bytes, csv, csv ? null : Day5);

        Assert.True((int)answered == status, $"{what}: {(int)answered} {problem}");
        Assert.Equal(rule, problem.GetProperty("errors")[0].GetProperty("rule").GetString());
        Assert.Equal((daysBefore, filesBefore), (Rows(ReconDaysTable), Rows("ReconFiles")));
        string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        BlobContainerClient container = new(backend.StorageConnectionString, "recon-files");
        Assert.True((await container.GetBlobClient($"rejected/{id}").ExistsAsync()).Value, what);
        Assert.True((await container.GetBlobClient($"rejected/{id}.reason.json").ExistsAsync()).Value, what);
        Assert.False((await container.GetBlobClient($"files/{id}").ExistsAsync()).Value, what);
    }

    [Fact]
    public async Task Upload_WrongContentTypeOrMissingDay_RefusedBeforeReading()
    {
        (HttpStatusCode status, JsonElement problem) = await UploadAsync(backend.Client, Encoding.UTF8.GetBytes(GoodCsv()), csv: true, contentType: "application/json");
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "recon-file-type"), (status, problem.GetProperty("errors")[0].GetProperty("rule").GetString()));
        (status, problem) = await UploadAsync(backend.Client, Encoding.UTF8.GetBytes($"<Document xmlns=\"{Camt}\"/>"), csv: false);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["channelId", "channelDate"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    const string ReconDaysTable = "ReconDays";

    int Rows(string table)
    {
        TableServiceClient service = new(backend.StorageConnectionString);
        service.CreateTableIfNotExists(table);
        return service.GetTableClient(table).Query<TableEntity>(select: ["RowKey"]).Count();
    }
}
