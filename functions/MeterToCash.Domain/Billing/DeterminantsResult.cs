using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Billing;

/// <summary>
/// The outcome of <see cref="DeterminantsBuilder.Build"/>: the determinants to rate with their per-meter source records,
/// or a hold with every reason found. Exactly one of <see cref="Determinants"/> and <see cref="Holds"/> is set.
/// </summary>
public sealed class DeterminantsResult
{
    private DeterminantsResult(BillDeterminants? determinants, IReadOnlyList<HoldReason> holds, IReadOnlyList<MeterSource> sources, decimal estimatedShare)
    {
        Determinants = determinants;
        Holds = holds;
        Sources = sources;
        EstimatedShare = estimatedShare;
    }

    /// <summary>The determinants, or null when held.</summary>
    public BillDeterminants? Determinants { get; }

    /// <summary>Reasons to hold the bill; empty when <see cref="Determinants"/> is set.</summary>
    public IReadOnlyList<HoldReason> Holds { get; }

    /// <summary>True when the bill is held.</summary>
    public bool IsHeld => Determinants is null;

    /// <summary>One record per meter measured (also when held, for the meters that could be measured).</summary>
    public IReadOnlyList<MeterSource> Sources { get; }

    /// <summary>
    /// Estimated kWh ÷ total kWh (both exact, before rounding), rounded half away from zero to 4 decimals; 0 when the total is 0.
    /// </summary>
    public decimal EstimatedShare { get; }

    /// <summary>A result ready for rating.</summary>
    internal static DeterminantsResult Ready(BillDeterminants determinants, IReadOnlyList<MeterSource> sources, decimal estimatedShare)
    {
        ArgumentNullException.ThrowIfNull(determinants);
        if (estimatedShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(estimatedShare), estimatedShare, "A share lies in [0, 1].");
        }

        return new DeterminantsResult(determinants, [], sources, estimatedShare);
    }

    /// <summary>A held result.</summary>
    internal static DeterminantsResult Held(IReadOnlyList<HoldReason> holds, IReadOnlyList<MeterSource> sources)
    {
        if (holds.Count == 0)
        {
            throw new ArgumentException("A hold needs at least one reason.", nameof(holds));
        }

        return new DeterminantsResult(null, holds, sources, 0m);
    }
}
