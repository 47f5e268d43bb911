using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Archive;

public class ArchiveValidatorTests
{
    static readonly DateOnly Installed = new(2024, 1, 1);

    internal static Customer Valid(CustomerClass cls = CustomerClass.Residential, decimal kva = 8m) => new(
        "3100000001", "张三", cls, PaymentMode.Postpaid, "13800138000", "浦东新区 1 号", CreditGrade.A, "TA0001",
        [
            new ServicePoint("SP1", "浦东新区 1 号", 0.22m, kva, "TA0001",
                [new Meter(new MeterId("MTR1"), "Linyang", 1, 1, MeterRegisters.ActiveImportTotal, Installed, null)],
                [new TariffAssignment("SH-RES-TOU", Installed, null)]),
        ]);

    [Fact]
    public void Validate_ValidCustomer_HasNoErrors() => Assert.Empty(ArchiveValidator.Validate(Valid()));

    public static TheoryData<string, Func<Customer, Customer>, string, string> Broken => new()
    {
        { "empty account", c => c with { AccountNo = "" }, "accountNo", "required" },
        { "slash in account", c => c with { AccountNo = "31/0" }, "accountNo", "code-format" },
        { "account too long", c => c with { AccountNo = new string('1', 21) }, "accountNo", "code-format" },
        { "blank name", c => c with { Name = "  " }, "name", "required" },
        { "name with control char", c => c with { Name = "a\u0007b" }, "name", "no-control-characters" },
        { "name too long", c => c with { Name = new string('x', 101) }, "name", "max-length" },
        { "phone with letters", c => c with { Phone = "138-abc" }, "phone", "phone-format" },
        { "phone too short", c => c with { Phone = "123456" }, "phone", "phone-format" },
        { "plus not first", c => c with { Phone = "86+13800138000" }, "phone", "phone-format" },
        { "closed before 2000", c => c with { ClosedOn = new DateOnly(1999, 12, 31) }, "closedOn", "date-range" },
        { "no service point", c => c with { ServicePoints = [] }, "servicePoints", "required" },
        { "duplicate point", c => c with { ServicePoints = [c.ServicePoints[0], c.ServicePoints[0]] }, "servicePoints[1].id", "duplicate" },
        { "odd voltage", c => WithPoint(c, p => p with { SupplyVoltageKv = 0.4m }), "servicePoints[0].supplyVoltageKv", "standard-voltage" },
        { "zero capacity", c => WithPoint(c, p => p with { ContractedCapacityKva = 0 }), "servicePoints[0].contractedCapacityKva", "range" },
        { "industry below 315 kVA", c => (c with { Class = CustomerClass.LargeIndustrial }), "servicePoints[0].contractedCapacityKva", "large-industrial-min-capacity" },
        { "bad meter number", c => WithMeter(c, m => m with { MeterNo = new MeterId("M#1") }), "servicePoints[0].meters[0].meterNo", "meter-number-format" },
        { "zero CT", c => WithMeter(c, m => m with { CtRatio = 0 }), "servicePoints[0].meters[0].ctRatio", "range" },
        { "huge PT", c => WithMeter(c, m => m with { PtRatio = 10_001 }), "servicePoints[0].meters[0].ptRatio", "range" },
        { "no active import", c => WithMeter(c, m => m with { Registers = MeterRegisters.ReactiveImport }), "servicePoints[0].meters[0].registers", "active-import-required" },
        { "removed on install day", c => WithMeter(c, m => m with { RemovalDate = Installed }), "servicePoints[0].meters[0].removalDate", "after-install" },
        { "no tariff", c => WithPoint(c, p => p with { Tariffs = [] }), "servicePoints[0].tariffs", "required" },
        { "tariff ends before start", c => WithPoint(c, p => p with { Tariffs = [new TariffAssignment("T", Installed, Installed)] }), "servicePoints[0].tariffs[0].effectiveTo", "after-effective-from" },
        {
            "two open tariffs", c => WithPoint(c, p => p with { Tariffs = [new TariffAssignment("A", Installed, null), new TariffAssignment("B", Installed.AddDays(10), null)] }),
            "servicePoints[0].tariffs", "tariff-periods-overlap"
        },
        {
            "two meters in service together", c => WithPoint(c, p => p with { Meters = [p.Meters[0], p.Meters[0] with { MeterNo = new MeterId("MTR2"), InstallDate = Installed.AddDays(30) }] }),
            "servicePoints[0].meters", "meter-periods-overlap"
        },
        { "same meter twice", c => WithPoint(c, p => p with { Meters = [p.Meters[0] with { RemovalDate = Installed.AddDays(5) }, p.Meters[0] with { InstallDate = Installed.AddDays(5) }] }), "servicePoints[0].meters[1].meterNo", "duplicate" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenRule_ReportsFieldAndRule(string description, Func<Customer, Customer> breakIt, string field, string rule)
    {
        IReadOnlyList<ValidationError> errors = ArchiveValidator.Validate(breakIt(Valid()));

        Assert.True(errors.Any(e => e.Field == field && e.Rule == rule), $"{description}: expected {field}/{rule}, got {string.Join("; ", errors)}");
    }

    [Fact]
    public void Validate_MeterExchangeOnSameDay_IsValid()
    {
        Customer exchanged = WithPoint(Valid(), p => p with
        {
            Meters = [p.Meters[0] with { RemovalDate = new DateOnly(2025, 6, 1) }, p.Meters[0] with { MeterNo = new MeterId("MTR2"), InstallDate = new DateOnly(2025, 6, 1) }],
        });

        Assert.Empty(ArchiveValidator.Validate(exchanged));
    }

    [Theory]
    [InlineData(NetworkLevel.Substation, null, null, true)]
    [InlineData(NetworkLevel.Substation, "SS00", null, false)]
    [InlineData(NetworkLevel.Feeder, "SS01", null, true)]
    [InlineData(NetworkLevel.Feeder, null, null, false)]
    [InlineData(NetworkLevel.Feeder, "SS01", 100.0, false)]
    [InlineData(NetworkLevel.TransformerArea, "FD01", 400.0, true)]
    [InlineData(NetworkLevel.TransformerArea, "FD01", null, false)]
    [InlineData(NetworkLevel.TransformerArea, "FD01", 0.0, false)]
    public void ValidateNode_ParentAndCapacityRules(NetworkLevel level, string? parent, double? ratedKva, bool valid)
    {
        NetworkNode node = new(level, "N1", "Node", parent, ratedKva is null ? null : (decimal)ratedKva);

        Assert.Equal(valid, ArchiveValidator.Validate(node).Count == 0);
    }

    [Fact]
    public void Meter_Multiplier_IsCtTimesPt()
    {
        Meter meter = new(new MeterId("M"), "X", 40, 100, MeterRegisters.ActiveImportTotal, Installed, Installed.AddDays(10));

        Assert.Equal(4000, meter.Multiplier);
        Assert.True(meter.InServiceOn(Installed));
        Assert.True(meter.InServiceOn(Installed.AddDays(9)));
        Assert.False(meter.InServiceOn(Installed.AddDays(10)));
        Assert.False(meter.InServiceOn(Installed.AddDays(-1)));
    }

    static Customer WithPoint(Customer c, Func<ServicePoint, ServicePoint> change) => c with { ServicePoints = [change(c.ServicePoints[0])] };

    static Customer WithMeter(Customer c, Func<Meter, Meter> change) => WithPoint(c, p => p with { Meters = [change(p.Meters[0])] });
}
