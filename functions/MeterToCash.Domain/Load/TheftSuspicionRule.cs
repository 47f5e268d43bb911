namespace MeterToCash.Domain.Load;

/// <summary>
/// The theft-suspicion rule (revenue protection). Pure.
/// <list type="number">
/// <item><b>Persistent high loss</b>: among the computable days (not-computable days are skipped, neither breaking nor
/// extending a run), the latest <see cref="LineLossSettings.PersistDays"/> or more are all <see cref="LineLossClass.High"/>.
/// The run is the trailing one: it ends with the latest computable day.</item>
/// <item><b>Baseline</b>: up to <see cref="LineLossSettings.BaselineDays"/> computable <see cref="LineLossClass.Normal"/>
/// days before the run (the latest ones).</item>
/// <item><b>Named meters</b>: a customer meter whose mean daily kWh over the run (days it has data) is at most
/// (1 − <see cref="LineLossSettings.DropShare"/>) × its own mean over the baseline (days it has data), with a baseline
/// mean of at least <see cref="LineLossSettings.MinimumBaselineKwh"/>. Comparing each meter with its own earlier days
/// (not with its neighbours) finds a bypass or a tampered meter: the energy still flows through the master meter, but
/// the customer's meter stops seeing part of it. Ordered by the drop in kWh/day, largest first.</item>
/// </list>
/// </summary>
public static class TheftSuspicionRule
{
    /// <summary>The suspicion, or null when the latest computable days are not persistently high.</summary>
    /// <param name="days">The area's days, any order; not-computable ones are ignored.</param>
    /// <param name="meterKwh">Each day's energy per customer meter (kWh); a meter missing from a day had no data.</param>
    /// <param name="settings">Thresholds.</param>
    public static TheftSuspicion? Evaluate(IReadOnlyList<LineLossDay> days, IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, decimal>> meterKwh, LineLossSettings settings)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(meterKwh);
        ArgumentNullException.ThrowIfNull(settings);
        List<LineLossDay> computable = [.. days.Where(d => d.Computable).OrderBy(d => d.Day)];
        int firstHigh = computable.Count;
        while (firstHigh > 0 && computable[firstHigh - 1].Class == LineLossClass.High)
        {
            firstHigh--;
        }

        List<LineLossDay> run = computable[firstHigh..];
        if (run.Count < settings.PersistDays)
        {
            return null;
        }

        List<LineLossDay> baseline = [.. computable[..firstHigh].Where(d => d.Class == LineLossClass.Normal).TakeLast(settings.BaselineDays)];
        List<SuspectMeter> suspects = [];
        if (baseline.Count > 0)
        {
            foreach (string meter in baseline.SelectMany(d => Of(meterKwh, d.Day).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                decimal? before = Mean(baseline, meterKwh, meter);
                decimal? after = Mean(run, meterKwh, meter);
                if (before is not { } b || after is not { } a || b < settings.MinimumBaselineKwh || b <= 0)
                {
                    continue;
                }

                decimal drop = 1 - (a / b);
                if (drop >= settings.DropShare)
                {
                    suspects.Add(new SuspectMeter(meter, Math.Round(b, 3, MidpointRounding.AwayFromZero), Math.Round(a, 3, MidpointRounding.AwayFromZero), Math.Round(drop, 4, MidpointRounding.AwayFromZero)));
                }
            }
        }

        return new TheftSuspicion(
            run[0].Day,
            run[settings.PersistDays - 1].Day,
            [.. run.Select(d => d.Day)],
            [.. baseline.Select(d => d.Day)],
            baseline.Count == 0 ? null : Math.Round(baseline.Average(d => d.LossRate!.Value), 4, MidpointRounding.AwayFromZero),
            Math.Round(run.Average(d => d.LossRate!.Value), 4, MidpointRounding.AwayFromZero),
            [.. suspects.OrderByDescending(s => s.BaselineKwhPerDay - s.RecentKwhPerDay).ThenBy(s => s.Meter, StringComparer.Ordinal)]);
    }

    static IReadOnlyDictionary<string, decimal> Of(IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, decimal>> meterKwh, DateOnly day) =>
        meterKwh.TryGetValue(day, out IReadOnlyDictionary<string, decimal>? kwh) ? kwh : new Dictionary<string, decimal>();

    static decimal? Mean(List<LineLossDay> days, IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, decimal>> meterKwh, string meter)
    {
        decimal sum = 0;
        int n = 0;
        foreach (LineLossDay d in days)
        {
            if (Of(meterKwh, d.Day).TryGetValue(meter, out decimal kwh))
            {
                sum += kwh;
                n++;
            }
        }

        return n == 0 ? null : sum / n;
    }
}
