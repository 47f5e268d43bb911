using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Billing;

/// <summary>
/// The stored data of one meter the builder may use: register reads near the period boundaries and the day curves of
/// the period. Reads and curves of other meters or other channels are ignored.
/// </summary>
public sealed record MeterBillingData
{
    /// <summary>The data of one meter.</summary>
    /// <param name="meter">The meter the data belongs to.</param>
    /// <param name="registerReads">
    /// Register reads, meter side (before CT × PT): the active-import total and band registers and the reactive-import
    /// register. Only reads exactly at a China-local midnight that bounds the meter's span are used.
    /// </param>
    /// <param name="curves">Stored day curves (active import and reactive import), values primary side (after CT × PT).</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    public MeterBillingData(MeterId meter, IReadOnlyList<RegisterReading> registerReads, IReadOnlyList<DayCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(registerReads);
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentException.ThrowIfNullOrWhiteSpace(meter.Value, nameof(meter));
        Meter = meter;
        RegisterReads = registerReads;
        Curves = curves;
    }

    /// <summary>The meter.</summary>
    public MeterId Meter { get; }

    /// <summary>Register reads, meter side (kWh / kvarh before CT × PT).</summary>
    public IReadOnlyList<RegisterReading> RegisterReads { get; }

    /// <summary>Day curves, primary side (kWh / kvarh per slot after CT × PT).</summary>
    public IReadOnlyList<DayCurve> Curves { get; }
}
