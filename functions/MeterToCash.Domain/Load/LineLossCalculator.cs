namespace MeterToCash.Domain.Load;

/// <summary>
/// Daily line loss of a transformer area (台区线损率) = (master − Σ customers) ÷ master. Pure.
/// <para>
/// A day is computable only when the archive has a master meter, the area has customer meters, and both the master
/// meter's and the customers' values are at least <see cref="LineLossSettings.CompletenessThreshold"/> of those
/// expected (estimated values count: the nightly VEE fills short gaps), and the master energy is above zero. The
/// completeness figures are reported with every day, computable or not. The rate is rounded once, to 4 decimals half
/// away from zero; the class is judged on the rounded rate: below 0 negative, up to and including the normal maximum
/// normal, above it high.
/// </para>
/// </summary>
public static class LineLossCalculator
{
    /// <summary>Computes one area-day.</summary>
    public static LineLossDay Compute(LineLossInput input, LineLossSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        if (input.SlotsPerDay <= 0 || input.MasterValues < 0 || input.CustomerValues < 0 || input.CustomerMeters < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), "Counts must not be negative and a day has at least one slot.");
        }

        decimal master = Share(input.MasterValues, input.SlotsPerDay);
        decimal customers = input.CustomerMeters == 0 ? 0 : Share(input.CustomerValues, (long)input.CustomerMeters * input.SlotsPerDay);
        LineLossDay NotComputable(string reason) =>
            new(input.Day, LineLossClass.NotComputable, reason, input.MasterKwh, input.CustomersKwh, null, null, master, customers, settings.CompletenessThreshold);

        if (!input.HasMasterMeter)
        {
            return NotComputable("no-master-meter");
        }

        if (input.CustomerMeters == 0)
        {
            return NotComputable("no-customer-meters");
        }

        if (input.MasterKwh is null || master < settings.CompletenessThreshold)
        {
            return NotComputable("master-incomplete");
        }

        if (customers < settings.CompletenessThreshold)
        {
            return NotComputable("customers-incomplete");
        }

        if (input.MasterKwh <= 0)
        {
            return NotComputable("master-zero");
        }

        decimal loss = input.MasterKwh.Value - input.CustomersKwh;
        decimal rate = Math.Round(loss / input.MasterKwh.Value, 4, MidpointRounding.AwayFromZero);
        LineLossClass cls = rate < 0 ? LineLossClass.Negative : rate <= settings.NormalMaxShare ? LineLossClass.Normal : LineLossClass.High;
        return new LineLossDay(input.Day, cls, null, input.MasterKwh, input.CustomersKwh, loss, rate, master, customers, settings.CompletenessThreshold);
    }

    /// <summary>A share of <paramref name="part"/> in <paramref name="whole"/>, 4 decimals half away from zero, capped at 1.</summary>
    static decimal Share(long part, long whole) => Math.Min(1m, Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero));
}
