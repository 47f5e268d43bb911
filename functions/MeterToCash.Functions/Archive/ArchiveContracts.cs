using System.Text.Json;
using MeterToCash.Functions.Infrastructure;
using System.Text.Json.Serialization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;

namespace MeterToCash.Functions.Archive;

/// <summary>A meter as the API sends and receives it. Dates are China local dates (yyyy-MM-dd); removal is exclusive.</summary>
public sealed record MeterDto(string? MeterNo, string? Manufacturer, int? CtRatio, int? PtRatio, IReadOnlyList<MeterRegisters>? Registers, DateOnly? InstallDate, DateOnly? RemovalDate);

/// <summary>A tariff assignment: from inclusive, to exclusive (null = open).</summary>
public sealed record TariffAssignmentDto(string? TariffCode, DateOnly? EffectiveFrom, DateOnly? EffectiveTo);

/// <summary>A service point with its meters and tariff assignments.</summary>
public sealed record ServicePointDto(string? Id, string? Address, decimal? SupplyVoltageKv, decimal? ContractedCapacityKva, string? AreaCode, IReadOnlyList<MeterDto>? Meters, IReadOnlyList<TariffAssignmentDto>? Tariffs);

/// <summary>A customer account as the archive API sends and receives it; <c>closedOn</c> (yyyy-MM-dd, inclusive) only once it is closed.</summary>
public sealed record CustomerDto(
    string? AccountNo,
    string? Name,
    CustomerClass? Class,
    PaymentMode? PaymentMode,
    string? Phone,
    string? Address,
    CreditGrade? Credit,
    string? AreaCode,
    IReadOnlyList<ServicePointDto>? ServicePoints,
    DateOnly? ClosedOn = null)
{
    /// <summary>Maps to the domain, reporting missing fields; the domain validator reports the rest.</summary>
    public Customer? ToDomain(List<ValidationError> errors)
    {
        int before = errors.Count;
        Required(errors, Class, "class");
        Required(errors, PaymentMode, "paymentMode");
        List<ServicePoint> points = [];
        for (int i = 0; i < (ServicePoints?.Count ?? 0); i++)
        {
            ServicePointDto p = ServicePoints![i];
            string at = $"servicePoints[{i}]";
            if (p is null)
            {
                errors.Add(new(at, "required", "A service point may not be null."));
                continue;
            }

            Required(errors, p.SupplyVoltageKv, at + ".supplyVoltageKv");
            Required(errors, p.ContractedCapacityKva, at + ".contractedCapacityKva");
            List<Meter> meters = [];
            for (int m = 0; m < (p.Meters?.Count ?? 0); m++)
            {
                MeterDto d = p.Meters![m];
                string mat = $"{at}.meters[{m}]";
                if (d is null)
                {
                    errors.Add(new(mat, "required", "A meter may not be null."));
                    continue;
                }

                Required(errors, d.InstallDate, mat + ".installDate");
                MeterRegisters registers = d.Registers is null ? MeterRegisters.ActiveImportTotal : d.Registers.Aggregate(MeterRegisters.None, (a, r) => a | r);
                meters.Add(new Meter(new MeterId(d.MeterNo?.Trim() ?? string.Empty), d.Manufacturer ?? string.Empty, d.CtRatio ?? 1, d.PtRatio ?? 1, registers, d.InstallDate ?? default, d.RemovalDate));
            }

            List<TariffAssignment> tariffs = [];
            for (int t = 0; t < (p.Tariffs?.Count ?? 0); t++)
            {
                TariffAssignmentDto d = p.Tariffs![t];
                if (d is null)
                {
                    errors.Add(new($"{at}.tariffs[{t}]", "required", "A tariff assignment may not be null."));
                    continue;
                }

                Required(errors, d.EffectiveFrom, $"{at}.tariffs[{t}].effectiveFrom");
                tariffs.Add(new TariffAssignment(d.TariffCode ?? string.Empty, d.EffectiveFrom ?? default, d.EffectiveTo));
            }

            points.Add(new ServicePoint(p.Id ?? string.Empty, p.Address ?? string.Empty, p.SupplyVoltageKv ?? 0, p.ContractedCapacityKva ?? 0, p.AreaCode ?? AreaCode ?? string.Empty, meters, tariffs));
        }

        Customer customer = new(AccountNo?.Trim() ?? string.Empty, Name?.Trim() ?? string.Empty, Class ?? default, PaymentMode ?? default, string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim(),
            Address?.Trim() ?? string.Empty, Credit ?? CreditGrade.A, AreaCode?.Trim() ?? string.Empty, points, ClosedOn);
        errors.AddRange(ArchiveValidator.Validate(customer));
        return errors.Count == before ? customer : null;
    }

    public static CustomerDto FromDomain(Customer c) => new(
        c.AccountNo, c.Name, c.Class, c.PaymentMode, c.Phone, c.Address, c.Credit, c.AreaCode,
        c.ServicePoints.Select(p => new ServicePointDto(p.Id, p.Address, p.SupplyVoltageKv, p.ContractedCapacityKva, p.AreaCode,
            p.Meters.Select(m => new MeterDto(m.MeterNo.Value, m.Manufacturer, m.CtRatio, m.PtRatio, RegisterList(m.Registers), m.InstallDate, m.RemovalDate)).ToList(),
            p.Tariffs.Select(t => new TariffAssignmentDto(t.TariffCode, t.EffectiveFrom, t.EffectiveTo)).ToList())).ToList(),
        c.ClosedOn);

    static List<MeterRegisters> RegisterList(MeterRegisters registers) =>
        Enum.GetValues<MeterRegisters>().Where(r => r != MeterRegisters.None && registers.HasFlag(r)).ToList();

    static void Required<T>(List<ValidationError> errors, T? value, string field)
        where T : struct
    {
        if (value is null)
        {
            errors.Add(new(field, "required", $"'{field}' is required."));
        }
    }
}

/// <summary>A network node as the API sends it; the level comes from the route.</summary>
public sealed record NetworkNodeDto(string? Name, string? SubstationCode, string? FeederCode, decimal? RatedKva, MasterMeterDto? MasterMeter = null);

/// <summary>A transformer area's master meter (考核表) as the API sends it; ratios default to 1.</summary>
public sealed record MasterMeterDto(string? MeterNo, int? CtRatio, int? PtRatio, DateOnly? InstallDate)
{
    /// <summary>The domain value; a missing number or install date is reported as required.</summary>
    public MasterMeter? ToDomain(List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(MeterNo))
        {
            errors.Add(new("masterMeter.meterNo", "required", "'masterMeter.meterNo' is required."));
        }

        if (InstallDate is null)
        {
            errors.Add(new("masterMeter.installDate", "required", "'masterMeter.installDate' is required (yyyy-MM-dd, China local, inclusive)."));
        }

        return string.IsNullOrWhiteSpace(MeterNo) || InstallDate is null ? null : new MasterMeter(new MeterId(MeterNo.Trim()), CtRatio ?? 1, PtRatio ?? 1, InstallDate.Value);
    }

    public static MasterMeterDto? FromDomain(MasterMeter? m) => m is null ? null : new(m.MeterNo.Value, m.CtRatio, m.PtRatio, m.InstallDate);
}

/// <summary>The area tree: substations, their feeders, and the feeders' transformer areas.</summary>
public sealed record NetworkTreeDto(IReadOnlyList<SubstationNodeDto> Substations);

public sealed record SubstationNodeDto(string Code, string Name, IReadOnlyList<FeederNodeDto> Feeders);

public sealed record FeederNodeDto(string Code, string Name, IReadOnlyList<AreaNodeDto> Areas);

public sealed record AreaNodeDto(string Code, string Name, decimal? RatedKva, MasterMeterDto? MasterMeter);

/// <summary>A page of customers with the token for the next page (null on the last).</summary>
public sealed record CustomerPageDto(IReadOnlyList<CustomerDto> Items, string? ContinuationToken);

/// <summary>JSON settings of the archive: camelCase, enums as names, as the HTTP API speaks.</summary>
public static class ArchiveJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new StrictEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
    };
}
