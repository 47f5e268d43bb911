using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Archive;

/// <summary>
/// The master meter (考核表 / 总表) of a transformer area: it measures everything the transformer delivers, so the area's
/// line loss is its energy less the customers'. Its number is unique across the archive (no customer meter and no other
/// area may use it).
/// </summary>
/// <param name="MeterNo">Meter number.</param>
/// <param name="CtRatio">Current-transformer ratio (a transformer's low side is CT-connected, e.g. 200/5 → 40); 1–10,000.</param>
/// <param name="PtRatio">Voltage-transformer ratio; 1 at low voltage; 1–10,000.</param>
/// <param name="InstallDate">First day in service (China local, inclusive).</param>
public sealed record MasterMeter(MeterId MeterNo, int CtRatio, int PtRatio, DateOnly InstallDate)
{
    /// <summary>CT × PT.</summary>
    public int Multiplier => CtRatio * PtRatio;
}
