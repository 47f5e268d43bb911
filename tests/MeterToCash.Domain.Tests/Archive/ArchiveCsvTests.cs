using FsCheck.Xunit;
using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Tests.Archive;

public class ArchiveCsvTests
{
    const string Header = "account_no,name,class,payment_mode,phone,address,area_code,service_point_id,sp_address,supply_voltage_kv,contracted_kva,meter_no,manufacturer,ct_ratio,pt_ratio,registers,install_date,tariff_code,tariff_effective_from";

    static string Row(string account = "3100000001", string name = "张三", string cls = "Residential", string meter = "MTR1", string sp = "SP1", string voltage = "0.22", string install = "2024-01-01", string kva = "8") =>
        $"{account},{name},{cls},Postpaid,13800138000,\"浦东新区 1 号, 2 室\",TA0001,{sp},浦东新区 1 号,{voltage},{kva},{meter},Linyang,1,1,ActiveImportTotal|ActiveImportPeak,{install},SH-RES-TOU,{install}";

    static ArchiveCsvResult Parse(params string[] rows) => ArchiveCsv.Parse(new StringReader(string.Join("\n", [Header, .. rows]) + "\n"));

    [Fact]
    public void Parse_ValidRow_BuildsCustomerWithQuotedCommaAddress()
    {
        ArchiveCsvResult result = Parse(Row());

        Assert.Empty(result.Errors);
        Assert.Equal(1, result.TotalRows);
        ImportedCustomer imported = Assert.Single(result.Customers);
        Assert.Equal([2], imported.Rows);
        Assert.Equal("浦东新区 1 号, 2 室", imported.Customer.Address);
        Assert.Equal(MeterRegisters.ActiveImportTotal | MeterRegisters.ActiveImportPeak, imported.Customer.ServicePoints[0].Meters[0].Registers);
    }

    [Fact]
    public void Parse_RowsOfOneAccount_MergeIntoServicePointsAndMeters()
    {
        ArchiveCsvResult result = Parse(
            Row(meter: "MTR1", sp: "SP1"),
            Row(meter: "MTR2", sp: "SP2"));

        Customer customer = Assert.Single(result.Customers).Customer;
        Assert.Equal(["SP1", "SP2"], customer.ServicePoints.Select(p => p.Id));
    }

    [Theory]
    [InlineData("supply_voltage_kv", "standard-voltage")]
    [InlineData("install_date", "date")]
    [InlineData("class", "enum")]
    [InlineData("contracted_kva", "number")]
    public void Parse_BadField_RejectsRowWithItsNumberFieldAndRule(string field, string rule)
    {
        string bad = field switch
        {
            "supply_voltage_kv" => Row(account: "3100000002", voltage: "0.5"),
            "install_date" => Row(account: "3100000002", install: "2024-02-30"),
            "class" => Row(account: "3100000002", cls: "Household"),
            _ => Row(account: "3100000002", kva: "eight"),
        };

        ArchiveCsvResult result = Parse(Row(), bad, Row(account: "3100000003", meter: "MTR3"));

        Assert.Equal(["3100000001", "3100000003"], result.Customers.Select(c => c.Customer.AccountNo));
        Assert.All(result.Errors, e => Assert.Equal(3, e.Row));
        string expectedField = field == "supply_voltage_kv" ? "servicePoints[0].supplyVoltageKv" : field;
        Assert.Contains(result.Errors, e => e.Field == expectedField && e.Rule == rule);
    }

    [Fact]
    public void Parse_OneBadRowOfAnAccount_RejectsTheWholeAccount()
    {
        ArchiveCsvResult result = Parse(Row(meter: "MTR1", sp: "SP1"), Row(meter: "M/2", sp: "SP2"));

        Assert.Empty(result.Customers);
        Assert.Equal([2, 3], result.Errors.Select(e => e.Row).Distinct());
        Assert.Contains(result.Errors, e => e.Row == 2 && e.Rule == "customer-has-invalid-rows");
    }

    [Fact]
    public void Parse_ConflictingCustomerFields_RejectsTheAccount()
    {
        ArchiveCsvResult result = Parse(Row(name: "张三"), Row(name: "李四", meter: "MTR2", sp: "SP2"));

        Assert.Empty(result.Customers);
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Rule == "customer-fields-conflict");
    }

    [Fact]
    public void Parse_ClosedOnColumn_ClosesTheAccountFromThatDay()
    {
        ArchiveCsvResult result = ArchiveCsv.Parse(new StringReader($"{Header},closed_on\n{Row()},2026-11-30\n{Row(account: "3100000002", meter: "MTR2")},\n"));

        Assert.Empty(result.Errors);
        Customer closed = result.Customers.Single(c => c.Customer.AccountNo == "3100000001").Customer;
        Customer open = result.Customers.Single(c => c.Customer.AccountNo == "3100000002").Customer;
        Assert.Equal(new DateOnly(2026, 11, 30), closed.ClosedOn);
        Assert.False(closed.IsClosedOn(new DateOnly(2026, 11, 29)));
        Assert.True(closed.IsClosedOn(new DateOnly(2026, 11, 30)));
        Assert.Null(open.ClosedOn);
        Assert.False(open.IsClosedOn(new DateOnly(2099, 12, 31)));
    }

    [Fact]
    public void Parse_ClosedOnDiffersBetweenRowsOfOneAccount_RejectsTheAccount()
    {
        ArchiveCsvResult result = ArchiveCsv.Parse(new StringReader($"{Header},closed_on\n{Row()},2026-11-30\n{Row(meter: "MTR2", sp: "SP2")},\n"));

        Assert.Empty(result.Customers);
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Rule == "customer-fields-conflict");
    }

    [Fact]
    public void Parse_MeterGivenToTwoAccounts_KeepsTheFirst()
    {
        ArchiveCsvResult result = Parse(Row(account: "3100000001", meter: "MTR1"), Row(account: "3100000002", meter: "mtr1"));

        Assert.Equal("3100000001", Assert.Single(result.Customers).Customer.AccountNo);
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Rule == "meter-duplicate-in-file");
    }

    [Fact]
    public void Parse_WrongFieldCount_RejectsRow()
    {
        ArchiveCsvResult result = Parse("3100000001,only,three");

        Assert.Equal("column-count", Assert.Single(result.Errors).Rule);
    }

    [Theory]
    [InlineData("account_no,name", "class")]
    [InlineData("", "account_no")]
    public void ValidateHeader_MissingColumns_AreNamed(string header, string missing)
    {
        Assert.Contains(ArchiveCsv.ValidateHeader(header), e => e.Field == missing && e.Rule == "missing-column");
    }

    [Fact]
    public void ValidateHeader_DuplicateColumn_IsRejected()
    {
        Assert.Contains(ArchiveCsv.ValidateHeader(Header + ",name"), e => e.Field == "name" && e.Rule == "duplicate-column");
    }

    [Fact]
    public void Parse_ChineseClassNamesAndBom_AreAccepted()
    {
        ArchiveCsvResult result = ArchiveCsv.Parse(new StringReader("\uFEFF" + Header + "\n" + Row(cls: "居民生活") + "\n"));

        Assert.Equal(CustomerClass.Residential, Assert.Single(result.Customers).Customer.Class);
    }

    [Property(MaxTest = 300)]
    public bool Parse_ArbitraryText_NeverThrowsAndAccountsForEveryRow(string? text)
    {
        ArchiveCsvResult result = ArchiveCsv.Parse(new StringReader(Header + "\n" + (text ?? string.Empty)));
        int accounted = result.Customers.Sum(c => c.Rows.Count) + result.RejectedRows;
        return accounted == result.TotalRows;
    }
}
