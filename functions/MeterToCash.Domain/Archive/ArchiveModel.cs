using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Archive;

/// <summary>Customer class (用电类别), which decides the tariff family and several rules.</summary>
public enum CustomerClass
{
    /// <summary>Households (居民生活).</summary>
    Residential,

    /// <summary>General commercial and industrial (一般工商业).</summary>
    Commercial,

    /// <summary>Large industry on the two-part tariff (大工业), normally 315 kVA and above.</summary>
    LargeIndustrial,

    /// <summary>Agricultural production (农业生产).</summary>
    Agricultural,
}

/// <summary>How the customer pays (缴费方式).</summary>
public enum PaymentMode
{
    /// <summary>Billed after use (后付费).</summary>
    Postpaid,

    /// <summary>Pays before use; the meter or the system controls supply (预付费 / 费控).</summary>
    Prepaid,
}

/// <summary>Customer credit grade (电力客户信用等级), best first.</summary>
public enum CreditGrade
{
    /// <summary>Excellent.</summary>
    AAA,

    /// <summary>Very good.</summary>
    AA,

    /// <summary>Good.</summary>
    A,

    /// <summary>Watch: late payments on record.</summary>
    B,

    /// <summary>Poor: arrears or theft on record.</summary>
    C,
}

/// <summary>Registers a meter records, as a flag set.</summary>
[Flags]
public enum MeterRegisters
{
    /// <summary>No register.</summary>
    None = 0,

    /// <summary>Active import, total (OBIS 1.8.0).</summary>
    ActiveImportTotal = 1,

    /// <summary>Active import, critical peak band (尖).</summary>
    ActiveImportCriticalPeak = 2,

    /// <summary>Active import, peak band (峰).</summary>
    ActiveImportPeak = 4,

    /// <summary>Active import, flat band (平).</summary>
    ActiveImportFlat = 8,

    /// <summary>Active import, valley band (谷).</summary>
    ActiveImportValley = 16,

    /// <summary>Active export, total (OBIS 2.8.0).</summary>
    ActiveExportTotal = 32,

    /// <summary>Reactive import (OBIS 3.8.0), kvarh.</summary>
    ReactiveImport = 64,

    /// <summary>Reactive export (OBIS 4.8.0), kvarh.</summary>
    ReactiveExport = 128,
}

/// <summary>
/// A meter installed at a service point. Install and removal dates are China local dates; the meter is in service
/// from <see cref="InstallDate"/> (inclusive) to <see cref="RemovalDate"/> (exclusive), so an exchange keeps the old
/// meter with its removal date and adds the new one from the same date.
/// </summary>
/// <param name="MeterNo">Asset number.</param>
/// <param name="Manufacturer">Maker's name.</param>
/// <param name="CtRatio">Current-transformer ratio (primary/secondary, e.g. 200 for 1000/5 A); 1 for direct connection.</param>
/// <param name="PtRatio">Voltage-transformer ratio (e.g. 100 for 10 kV/100 V); 1 for direct connection.</param>
/// <param name="Registers">Registers the meter records.</param>
/// <param name="InstallDate">First day in service (inclusive).</param>
/// <param name="RemovalDate">First day out of service (exclusive end), or null while installed.</param>
public sealed record Meter(
    MeterId MeterNo,
    string Manufacturer,
    int CtRatio,
    int PtRatio,
    MeterRegisters Registers,
    DateOnly InstallDate,
    DateOnly? RemovalDate)
{
    /// <summary>The factor from meter reading to billed quantity (倍率): CT ratio × PT ratio.</summary>
    public int Multiplier => CtRatio * PtRatio;

    /// <summary>Whether the meter is in service on <paramref name="day"/>.</summary>
    public bool InServiceOn(DateOnly day) => day >= InstallDate && (RemovalDate is null || day < RemovalDate);
}

/// <summary>
/// A tariff assigned to a service point from <see cref="EffectiveFrom"/> (inclusive) until <see cref="EffectiveTo"/>
/// (exclusive; null = open-ended).
/// </summary>
/// <param name="TariffCode">Code of the tariff in the tariff catalogue.</param>
/// <param name="EffectiveFrom">First day the tariff applies (inclusive).</param>
/// <param name="EffectiveTo">First day it no longer applies (exclusive), or null.</param>
public sealed record TariffAssignment(string TariffCode, DateOnly EffectiveFrom, DateOnly? EffectiveTo);

/// <summary>A supply point (计量点 / 受电点) of a customer: where energy is delivered and measured.</summary>
/// <param name="Id">Identifier, unique within the customer.</param>
/// <param name="Address">Where it is.</param>
/// <param name="SupplyVoltageKv">Nominal supply voltage in kV (0.22, 0.38, 10, 20, 35, 66, 110 or 220).</param>
/// <param name="ContractedCapacityKva">Contracted (transformer) capacity in kVA.</param>
/// <param name="AreaCode">Transformer area (台区) the point is fed from.</param>
/// <param name="Meters">Meters, current and removed.</param>
/// <param name="Tariffs">Tariff assignments over time.</param>
public sealed record ServicePoint(
    string Id,
    string Address,
    decimal SupplyVoltageKv,
    decimal ContractedCapacityKva,
    string AreaCode,
    IReadOnlyList<Meter> Meters,
    IReadOnlyList<TariffAssignment> Tariffs)
{
    /// <summary>Highest supply voltage (kV, inclusive) of a point fed through its area's distribution transformer: 0.22 and 0.38 kV are; 10 kV and above are not.</summary>
    public const decimal LowVoltageMaxKv = 1m;

    /// <summary>
    /// Whether a point at <paramref name="supplyVoltageKv"/> is fed through its area's distribution transformer (≤
    /// <see cref="LowVoltageMaxKv"/>). A customer supplied at 10 kV or above is filed under an area but fed from the
    /// feeder: its energy is neither the transformer's load nor seen by the area's master meter.
    /// </summary>
    public static bool IsLowVoltage(decimal supplyVoltageKv) => supplyVoltageKv <= LowVoltageMaxKv;

    /// <summary>Whether this point is fed through its area's distribution transformer (<see cref="IsLowVoltage(decimal)"/>).</summary>
    public bool BehindTransformer => IsLowVoltage(SupplyVoltageKv);
}

/// <summary>A customer account (客户档案) with its service points.</summary>
/// <param name="AccountNo">Account number (户号).</param>
/// <param name="Name">Customer name.</param>
/// <param name="Class">Customer class.</param>
/// <param name="PaymentMode">Postpaid or prepaid.</param>
/// <param name="Phone">Contact phone, or null.</param>
/// <param name="Address">Contact address.</param>
/// <param name="Credit">Credit grade.</param>
/// <param name="AreaCode">Managing transformer area: where the account is filed (normally its main service point's).</param>
/// <param name="ServicePoints">Service points.</param>
/// <param name="ClosedOn">
/// The day the account was closed (销户), China local, inclusive: from that day on it takes no payments; null while the
/// account is open.
/// </param>
public sealed record Customer(
    string AccountNo,
    string Name,
    CustomerClass Class,
    PaymentMode PaymentMode,
    string? Phone,
    string Address,
    CreditGrade Credit,
    string AreaCode,
    IReadOnlyList<ServicePoint> ServicePoints,
    DateOnly? ClosedOn = null)
{
    /// <summary>Whether the account is closed on <paramref name="day"/> (China local): <see cref="ClosedOn"/> is that day or earlier.</summary>
    public bool IsClosedOn(DateOnly day) => ClosedOn is { } closed && closed <= day;
}

/// <summary>Level of a node in the supply network.</summary>
public enum NetworkLevel
{
    /// <summary>Substation (变电站).</summary>
    Substation,

    /// <summary>Medium-voltage feeder (馈线 / 线路) out of a substation.</summary>
    Feeder,

    /// <summary>Transformer area (台区): one distribution transformer and the customers it feeds.</summary>
    TransformerArea,
}

/// <summary>A node of the network hierarchy substation → feeder → transformer area.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Code">Code, unique within the level.</param>
/// <param name="Name">Display name.</param>
/// <param name="ParentCode">Code of the parent (substation of a feeder, feeder of an area); null for substations.</param>
/// <param name="RatedKva">Rated capacity in kVA of a transformer area's transformer; null for other levels.</param>
/// <param name="MasterMeter">The area's master meter (考核表), for line loss; transformer areas only, optional.</param>
public sealed record NetworkNode(NetworkLevel Level, string Code, string Name, string? ParentCode, decimal? RatedKva, MasterMeter? MasterMeter = null);
