using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tariffs;

/// <summary>A late-payment fee (违约金) worked out for one overdue amount.</summary>
/// <param name="Overdue">The amount overdue.</param>
/// <param name="ChargeableDays">Days charged: days after the due date, less the grace days.</param>
/// <param name="CrossYearDays">Of <paramref name="ChargeableDays"/>, those falling in a later calendar year than the due date (charged at the cross-year rate when one is configured).</param>
/// <param name="Fee">Overdue × (daily rate × same-year days + cross-year rate × cross-year days), rounded half-up once, raised to the minimum when one applies.</param>
/// <param name="MinimumApplied">True when the configured minimum replaced a smaller computed fee.</param>
public sealed record LateFeeAssessment(Money Overdue, int ChargeableDays, int CrossYearDays, Money Fee, bool MinimumApplied);

/// <summary>Computes late-payment fees.</summary>
public static class LateFee
{
    /// <summary>
    /// The fee on <paramref name="overdue"/> unpaid after <paramref name="dueDate"/> and paid (or assessed) on
    /// <paramref name="paidOn"/>. Overdue days are the days after the due date up to and including the payment day
    /// (paying the day after the due date is one day late); the first <see cref="LateFeeRule.GraceDays"/> of them are free,
    /// and once the grace has passed the fee runs from the first day after the grace period.
    /// </summary>
    /// <param name="rule">The customer class's rule.</param>
    /// <param name="overdue">Amount overdue; zero or less means no fee.</param>
    /// <param name="dueDate">Last day to pay without a fee (inclusive).</param>
    /// <param name="paidOn">The payment day, or the day the fee is assessed.</param>
    public static LateFeeAssessment Compute(LateFeeRule rule, Money overdue, DateOnly dueDate, DateOnly paidOn)
    {
        ArgumentNullException.ThrowIfNull(rule);
        int lateDays = paidOn.DayNumber - dueDate.DayNumber;
        int chargeable = lateDays - rule.GraceDays;
        if (overdue.Fen <= 0 || chargeable <= 0)
        {
            return new LateFeeAssessment(overdue, 0, 0, Money.Zero, false);
        }

        // Charged days run from the day after the grace period to the payment day, inclusive.
        DateOnly firstCharged = dueDate.AddDays(rule.GraceDays + 1);
        DateOnly nextYear = new(dueDate.Year + 1, 1, 1);
        int crossYear = Math.Clamp(paidOn.DayNumber - nextYear.DayNumber + 1, 0, chargeable);
        if (firstCharged > nextYear)
        {
            crossYear = chargeable;
        }

        int sameYear = chargeable - crossYear;
        decimal crossRate = rule.CrossYearDailyRate ?? rule.DailyRate;
        Money fee = Money.FromYuan(overdue.Yuan * ((rule.DailyRate * sameYear) + (crossRate * crossYear)));
        bool minimumApplied = false;
        if (rule.Minimum is Money minimum && fee < minimum)
        {
            fee = minimum;
            minimumApplied = true;
        }

        return new LateFeeAssessment(overdue, chargeable, crossYear, fee, minimumApplied);
    }
}
