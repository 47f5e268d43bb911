using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Archive;

/// <summary>The archive's data rules, applied to every customer and network node before anything is stored.</summary>
public static class ArchiveValidator
{
    /// <summary>Longest account number, name and address accepted.</summary>
    public const int MaxAccountNoLength = 20, MaxNameLength = 100, MaxAddressLength = 200, MaxCodeLength = 32;

    /// <summary>Most service points per customer and meters per service point; beyond this the aggregate is refused.</summary>
    public const int MaxServicePoints = 20, MaxMetersPerPoint = 20, MaxTariffsPerPoint = 20;

    /// <summary>Smallest contracted capacity of a large-industrial customer (national two-part tariff threshold).</summary>
    public const decimal LargeIndustrialMinKva = 315m;

    static readonly decimal[] SupplyVoltagesKv = [0.22m, 0.38m, 10m, 20m, 35m, 66m, 110m, 220m];

    /// <summary>Standard supply voltages in kV.</summary>
    public static IReadOnlyList<decimal> StandardSupplyVoltagesKv => SupplyVoltagesKv;

    /// <summary>Checks a customer; an empty list means valid.</summary>
    public static IReadOnlyList<ValidationError> Validate(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        List<ValidationError> errors = [];
        Key(errors, "accountNo", customer.AccountNo, MaxAccountNoLength);
        Text(errors, "name", customer.Name, MaxNameLength, required: true);
        Text(errors, "address", customer.Address, MaxAddressLength, required: true);
        Key(errors, "areaCode", customer.AreaCode, MaxCodeLength);
        if (customer.Phone is not null && !IsPhone(customer.Phone))
        {
            errors.Add(new("phone", "phone-format", "Phone must be 7–20 digits, optionally with a leading '+' and '-' separators."));
        }

        Day(errors, "closedOn", customer.ClosedOn);
        if (customer.ServicePoints.Count == 0)
        {
            errors.Add(new("servicePoints", "required", "A customer needs at least one service point."));
        }
        else if (customer.ServicePoints.Count > MaxServicePoints)
        {
            errors.Add(new("servicePoints", "too-many", $"At most {MaxServicePoints} service points per customer."));
        }

        HashSet<string> pointIds = new(StringComparer.Ordinal);
        HashSet<string> meterNos = new(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < customer.ServicePoints.Count && i < MaxServicePoints; i++)
        {
            ServicePoint point = customer.ServicePoints[i];
            string at = $"servicePoints[{i}]";
            if (Key(errors, at + ".id", point.Id, MaxCodeLength) && !pointIds.Add(point.Id))
            {
                errors.Add(new(at + ".id", "duplicate", $"Service point '{point.Id}' appears twice."));
            }

            ValidatePoint(errors, customer, point, at, meterNos);
        }

        return errors;
    }

    static void ValidatePoint(List<ValidationError> errors, Customer customer, ServicePoint point, string at, HashSet<string> meterNos)
    {
        Text(errors, at + ".address", point.Address, MaxAddressLength, required: true);
        Key(errors, at + ".areaCode", point.AreaCode, MaxCodeLength);
        if (Array.IndexOf(SupplyVoltagesKv, point.SupplyVoltageKv) < 0)
        {
            errors.Add(new(at + ".supplyVoltageKv", "standard-voltage", $"Supply voltage must be one of {string.Join(", ", SupplyVoltagesKv)} kV."));
        }

        if (Kva(errors, at + ".contractedCapacityKva", point.ContractedCapacityKva, 1_000_000m, "Contracted capacity")
            && customer.Class == CustomerClass.LargeIndustrial && point.ContractedCapacityKva < LargeIndustrialMinKva)
        {
            errors.Add(new(at + ".contractedCapacityKva", "large-industrial-min-capacity", $"Large-industrial service needs at least {LargeIndustrialMinKva} kVA."));
        }

        if (point.Meters.Count > MaxMetersPerPoint)
        {
            errors.Add(new(at + ".meters", "too-many", $"At most {MaxMetersPerPoint} meters per service point, removed ones included."));
        }

        for (int m = 0; m < point.Meters.Count && m < MaxMetersPerPoint; m++)
        {
            Meter meter = point.Meters[m];
            string mat = $"{at}.meters[{m}]";
            if (!MeterId.TryParse(meter.MeterNo.Value, out _))
            {
                errors.Add(new(mat + ".meterNo", "meter-number-format", $"Meter number must be 1–{MeterId.MaxLength} letters, digits or '-'."));
            }
            else if (!meterNos.Add(meter.MeterNo.Value))
            {
                errors.Add(new(mat + ".meterNo", "duplicate", $"Meter '{meter.MeterNo}' appears twice in this customer."));
            }

            Text(errors, mat + ".manufacturer", meter.Manufacturer, MaxNameLength, required: true);
            if (meter.CtRatio is < 1 or > 10_000)
            {
                errors.Add(new(mat + ".ctRatio", "range", "CT ratio must be 1–10,000 (1 for direct connection)."));
            }

            if (meter.PtRatio is < 1 or > 10_000)
            {
                errors.Add(new(mat + ".ptRatio", "range", "PT ratio must be 1–10,000 (1 for direct connection)."));
            }

            if ((meter.Registers & MeterRegisters.ActiveImportTotal) == 0)
            {
                errors.Add(new(mat + ".registers", "active-import-required", "Every meter records active import total."));
            }

            Day(errors, mat + ".installDate", meter.InstallDate);
            Day(errors, mat + ".removalDate", meter.RemovalDate);
            if (meter.RemovalDate is { } removed && removed <= meter.InstallDate)
            {
                errors.Add(new(mat + ".removalDate", "after-install", "Removal date must be after the install date."));
            }
        }

        // Two meters in service at the same point on the same day would double-count energy.
        List<Meter> ordered = point.Meters.Take(MaxMetersPerPoint).OrderBy(x => x.InstallDate).ToList();
        for (int m = 1; m < ordered.Count; m++)
        {
            if (ordered[m - 1].RemovalDate is not { } end || end > ordered[m].InstallDate)
            {
                errors.Add(new(at + ".meters", "meter-periods-overlap", $"Meters '{ordered[m - 1].MeterNo}' and '{ordered[m].MeterNo}' are in service on the same days."));
            }
        }

        if (point.Tariffs.Count == 0)
        {
            errors.Add(new(at + ".tariffs", "required", "A service point needs a tariff assignment."));
        }
        else if (point.Tariffs.Count > MaxTariffsPerPoint)
        {
            errors.Add(new(at + ".tariffs", "too-many", $"At most {MaxTariffsPerPoint} tariff assignments per service point."));
        }

        for (int t = 0; t < point.Tariffs.Count && t < MaxTariffsPerPoint; t++)
        {
            TariffAssignment tariff = point.Tariffs[t];
            Key(errors, $"{at}.tariffs[{t}].tariffCode", tariff.TariffCode, MaxCodeLength);
            Day(errors, $"{at}.tariffs[{t}].effectiveFrom", tariff.EffectiveFrom);
            Day(errors, $"{at}.tariffs[{t}].effectiveTo", tariff.EffectiveTo);
            if (tariff.EffectiveTo is { } to && to <= tariff.EffectiveFrom)
            {
                errors.Add(new($"{at}.tariffs[{t}].effectiveTo", "after-effective-from", "A tariff assignment must end after it starts."));
            }
        }

        List<TariffAssignment> byStart = point.Tariffs.Take(MaxTariffsPerPoint).OrderBy(x => x.EffectiveFrom).ToList();
        for (int t = 1; t < byStart.Count; t++)
        {
            if (byStart[t - 1].EffectiveTo is not { } end || end > byStart[t].EffectiveFrom)
            {
                errors.Add(new(at + ".tariffs", "tariff-periods-overlap", $"Tariff assignments from {byStart[t - 1].EffectiveFrom:yyyy-MM-dd} and {byStart[t].EffectiveFrom:yyyy-MM-dd} overlap."));
            }
        }
    }

    /// <summary>Checks a network node; an empty list means valid. Whether its parent exists is the caller's to check.</summary>
    public static IReadOnlyList<ValidationError> Validate(NetworkNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        List<ValidationError> errors = [];
        Key(errors, "code", node.Code, MaxCodeLength);
        Text(errors, "name", node.Name, MaxNameLength, required: true);
        if (node.Level == NetworkLevel.Substation)
        {
            if (node.ParentCode is not null)
            {
                errors.Add(new("parentCode", "not-allowed", "A substation has no parent."));
            }
        }
        else
        {
            Key(errors, node.Level == NetworkLevel.Feeder ? "substationCode" : "feederCode", node.ParentCode, MaxCodeLength);
        }

        if (node.Level == NetworkLevel.TransformerArea)
        {
            Kva(errors, "ratedKva", node.RatedKva ?? 0, 100_000m, "A transformer area's rated capacity");
        }
        else if (node.RatedKva is not null)
        {
            errors.Add(new("ratedKva", "not-allowed", "Only transformer areas have a rated capacity."));
        }

        if (node.MasterMeter is { } master)
        {
            if (node.Level != NetworkLevel.TransformerArea)
            {
                errors.Add(new("masterMeter", "not-allowed", "Only transformer areas have a master meter."));
            }

            if (!MeterId.TryParse(master.MeterNo.Value, out _))
            {
                errors.Add(new("masterMeter.meterNo", "meter-number-format", $"Meter number must be 1–{MeterId.MaxLength} letters, digits or '-'."));
            }

            if (master.CtRatio is < 1 or > 10_000)
            {
                errors.Add(new("masterMeter.ctRatio", "range", "CT ratio must be 1–10,000 (1 for direct connection)."));
            }

            if (master.PtRatio is < 1 or > 10_000)
            {
                errors.Add(new("masterMeter.ptRatio", "range", "PT ratio must be 1–10,000 (1 for direct connection)."));
            }

            if (master.InstallDate.Year is < 2000 or > 2099)
            {
                errors.Add(new("masterMeter.installDate", "range", "The install date must be in 2000–2099."));
            }
        }

        return errors;
    }

    /// <summary>
    /// A key-safe code: letters, digits, '-' and '_' only. Azure Table keys forbid '/', '\', '#', '?' and control
    /// characters, and codes become keys, so the rule is checked at the door rather than escaped later.
    /// </summary>
    public static bool IsKey(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    static bool Key(List<ValidationError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "required", $"'{field}' is required."));
            return false;
        }

        if (!IsKey(value, maxLength))
        {
            errors.Add(new(field, "code-format", $"'{field}' must be 1–{maxLength} letters, digits, '-' or '_'."));
            return false;
        }

        return true;
    }

    static void Text(List<ValidationError> errors, string field, string? value, int maxLength, bool required) =>
        TextRules.Check(errors, field, value, maxLength, required);

    /// <summary>A day in the API's range (<see cref="DateRules"/>).</summary>
    static void Day(List<ValidationError> errors, string field, DateOnly? day)
    {
        if (day is { } d && !DateRules.InRange(d))
        {
            errors.Add(new(field, "date-range", $"'{field}' {DateRules.RangeMessage}."));
        }
    }

    /// <summary>A quantity in kVA: above 0, at most <paramref name="max"/>, at most <see cref="KvaDecimals"/> decimal places.</summary>
    static bool Kva(List<ValidationError> errors, string field, decimal value, decimal max, string what)
    {
        if (value <= 0 || value > max)
        {
            errors.Add(new(field, "range", $"{what} must be above 0 and at most {max:N0} kVA."));
            return false;
        }

        if (decimal.Round(value, KvaDecimals) != value)
        {
            errors.Add(new(field, "precision", $"{what} has at most {KvaDecimals} decimal places (kVA)."));
            return false;
        }

        return true;
    }

    /// <summary>Decimal places a capacity in kVA may have (1 VA).</summary>
    public const int KvaDecimals = 3;

    static bool IsPhone(string phone)
    {
        int digits = 0;
        for (int i = 0; i < phone.Length; i++)
        {
            char c = phone[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!(c == '-' || (c == '+' && i == 0)))
            {
                return false;
            }
        }

        return digits is >= 7 and <= 20;
    }
}
