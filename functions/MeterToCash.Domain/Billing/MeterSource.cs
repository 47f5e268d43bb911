using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Billing;

/// <summary>
/// The source record of one meter's contribution to a bill: its span, where its energy came from, the reads and days used,
/// the exact energies and the rounded contributions that were added into <see cref="BillDeterminants"/>.
/// </summary>
/// <remarks>Built only by <see cref="DeterminantsBuilder"/>.</remarks>
public sealed record MeterSource
{
    internal MeterSource()
    {
    }

    /// <summary>The meter.</summary>
    public required MeterId Meter { get; init; }

    /// <summary>The service point it is installed at.</summary>
    public required string ServicePointId { get; init; }

    /// <summary>First day of the meter's span in the period, inclusive: max(period start, install date).</summary>
    public required DateOnly SpanStart { get; init; }

    /// <summary>End of the span, exclusive: min(period end, removal date).</summary>
    public required DateOnly SpanEnd { get; init; }

    /// <summary>CT × PT: the factor from meter-side register values to primary-side energy.</summary>
    public required int Multiplier { get; init; }

    /// <summary>Where the active energy came from.</summary>
    public required EnergySource ActiveSource { get; init; }

    /// <summary>Where the reactive energy came from; null when the meter records no reactive import.</summary>
    public EnergySource? ReactiveSource { get; init; }

    /// <summary>The register reads used (meter side), start and end of each register.</summary>
    public required IReadOnlyList<RegisterReading> ReadsUsed { get; init; }

    /// <summary>The days whose curves were summed for energy (active or reactive), ascending.</summary>
    public required IReadOnlyList<DateOnly> CurveDaysUsed { get; init; }

    /// <summary>Active energy of the span before rounding, primary side, kWh: register difference × CT × PT, or the curve sum.</summary>
    public required decimal ExactKwh { get; init; }

    /// <summary>Energy per band before rounding, kWh; null when bands were not wanted.</summary>
    public BandEnergy? ExactBands { get; init; }

    /// <summary>Reactive energy before rounding, kvarh; null when the meter records no reactive import.</summary>
    public decimal? ExactKvarh { get; init; }

    /// <summary>
    /// The kWh added to the bill: with bands, the sum of <see cref="Bands"/>; otherwise <see cref="ExactKwh"/> rounded half
    /// away from zero to 0.01 kWh.
    /// </summary>
    public required decimal Kwh { get; init; }

    /// <summary>Each band of <see cref="ExactBands"/> rounded half away from zero to 0.01 kWh; null without bands.</summary>
    public BandEnergy? Bands { get; init; }

    /// <summary><see cref="ExactKvarh"/> rounded half away from zero to 0.01 kvarh.</summary>
    public decimal? Kvarh { get; init; }

    /// <summary>
    /// Estimated part of <see cref="ExactKwh"/>, kWh: the estimated slots of the curves used, or all of it when a register
    /// read used is estimated.
    /// </summary>
    public required decimal EstimatedKwh { get; init; }

    /// <summary>
    /// The meter's largest 15-minute active-import demand in its span, kW (slot kWh × 60 / slot minutes); null when its curves
    /// of the span are incomplete.
    /// </summary>
    public decimal? MaximumDemandKw { get; init; }
}
