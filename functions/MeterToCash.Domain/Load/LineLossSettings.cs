namespace MeterToCash.Domain.Load;

/// <summary>
/// How daily line loss (台区线损) is judged and when it raises alarms. Validated on construction. Shares are decimals
/// (0.10 = 10 %).
/// </summary>
public sealed record LineLossSettings
{
    /// <summary>Defaults: normal up to 10 %, 95 % completeness, high for 3 computable days, 7 baseline days, a 30 % drop on at least 1 kWh/day.</summary>
    public static LineLossSettings Default { get; } = new(0.10m, 0.95m, 3, 7, 0.30m, 1.0m);

    /// <param name="normalMaxShare">Highest loss rate that is still normal (inclusive); in (0, 1).</param>
    /// <param name="completenessThreshold">Least share of expected 15-minute values (master and customers, each) a day needs to be computable (inclusive); in (0, 1].</param>
    /// <param name="persistDays">Consecutive computable high days that make persistent high loss (theft suspicion); 1–31.</param>
    /// <param name="baselineDays">Computable normal days before the high run that are each meter's own baseline; 1–31.</param>
    /// <param name="dropShare">Least drop of a meter's mean daily energy, relative to its baseline, that names it (inclusive); in (0, 1].</param>
    /// <param name="minimumBaselineKwh">Meters below this mean daily energy (kWh) in the baseline are not named (noise); ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public LineLossSettings(decimal normalMaxShare, decimal completenessThreshold, int persistDays, int baselineDays, decimal dropShare, decimal minimumBaselineKwh)
    {
        Check(normalMaxShare is > 0 and < 1, nameof(normalMaxShare), normalMaxShare, "in (0, 1)");
        Check(completenessThreshold is > 0 and <= 1, nameof(completenessThreshold), completenessThreshold, "in (0, 1]");
        Check(persistDays is >= 1 and <= 31, nameof(persistDays), persistDays, "1–31");
        Check(baselineDays is >= 1 and <= 31, nameof(baselineDays), baselineDays, "1–31");
        Check(dropShare is > 0 and <= 1, nameof(dropShare), dropShare, "in (0, 1]");
        Check(minimumBaselineKwh >= 0, nameof(minimumBaselineKwh), minimumBaselineKwh, "at least 0");
        NormalMaxShare = normalMaxShare;
        CompletenessThreshold = completenessThreshold;
        PersistDays = persistDays;
        BaselineDays = baselineDays;
        DropShare = dropShare;
        MinimumBaselineKwh = minimumBaselineKwh;
    }

    /// <summary>Highest normal loss rate (share, inclusive); above it a day is high.</summary>
    public decimal NormalMaxShare { get; }

    /// <summary>Least completeness (share, inclusive) of both the master meter's and the customers' values for a computable day.</summary>
    public decimal CompletenessThreshold { get; }

    /// <summary>Consecutive computable high days that raise the theft-suspicion alarm.</summary>
    public int PersistDays { get; }

    /// <summary>Computable normal days before the high run used as each meter's own baseline.</summary>
    public int BaselineDays { get; }

    /// <summary>Least relative drop (share, inclusive) of a meter's mean daily energy that names it.</summary>
    public decimal DropShare { get; }

    /// <summary>Least baseline mean daily energy (kWh) of a meter that can be named.</summary>
    public decimal MinimumBaselineKwh { get; }

    static void Check(bool ok, string name, object value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}.");
        }
    }
}
