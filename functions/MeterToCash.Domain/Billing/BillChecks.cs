namespace MeterToCash.Domain.Billing;

/// <summary>
/// Plausibility checks run on a bill before it is sent; each failed check is a reason to hold it for review. Pure.
/// </summary>
/// <remarks>
/// Usage is compared with the mean of the previous months that had usage (kWh &gt; 0), bill to month as they come (a bill
/// is a calendar month); with no such month the high/low checks are skipped. Too high: kWh &gt; high factor × mean;
/// too low: kWh &lt; low factor × mean (both strict). Zero kWh on an occupied account is held by its own rule, not also as too low.
/// Against its class, usage above the class ceiling of the period (<see cref="ClassUsage"/>, strict) is too high whatever the history.
/// </remarks>
public static class BillChecks
{
    /// <summary>Every reason to hold the bill, empty when it passes.</summary>
    /// <param name="input">The bill's facts.</param>
    /// <param name="limits">Thresholds; <see cref="BillCheckLimits.Default"/> when null.</param>
    public static IReadOnlyList<HoldReason> Evaluate(BillCheckInput input, BillCheckLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        limits ??= BillCheckLimits.Default;
        var reasons = new List<HoldReason>();
        if (input.TariffCode is null)
        {
            reasons.Add(new HoldReason(HoldCode.MissingTariff, "no tariff is assigned for the period"));
        }

        if (input.Amount is { Fen: < 0 } amount)
        {
            reasons.Add(new HoldReason(HoldCode.NegativeAmount, $"the bill amount is {amount.Yuan} yuan"));
        }

        bool zeroOnOccupied = input.Kwh == 0m && input.Occupied;
        if (zeroOnOccupied)
        {
            reasons.Add(new HoldReason(HoldCode.ZeroUsageOnOccupiedAccount, "no energy was used although the premises are occupied"));
        }

        decimal[] used = [.. input.LastTwelveMonthsKwh.Where(m => m > 0m)];
        if (used.Length > 0)
        {
            decimal mean = used.Sum() / used.Length;
            if (input.Kwh > limits.HighFactor * mean)
            {
                reasons.Add(new HoldReason(HoldCode.UsageTooHigh, $"{input.Kwh} kWh is above {limits.HighFactor} × the mean {decimal.Round(mean, 2, MidpointRounding.AwayFromZero)} kWh of {used.Length} months with usage"));
            }
            else if (!zeroOnOccupied && input.Kwh < limits.LowFactor * mean)
            {
                reasons.Add(new HoldReason(HoldCode.UsageTooLow, $"{input.Kwh} kWh is below {limits.LowFactor} × the mean {decimal.Round(mean, 2, MidpointRounding.AwayFromZero)} kWh of {used.Length} months with usage"));
            }
        }

        if (input.ClassCeilingKwh is { } ceiling && input.Kwh > ceiling)
        {
            reasons.Add(new HoldReason(HoldCode.UsageTooHighForClass, $"{input.Kwh} kWh is above {ceiling} kWh, the most a customer of this class plausibly uses in the period"));
        }

        if (input.EstimatedShare > limits.EstimatedShareLimit)
        {
            reasons.Add(new HoldReason(HoldCode.EstimatedShareTooHigh, $"{input.EstimatedShare:P1} of the energy is estimated (limit {limits.EstimatedShareLimit:P0})"));
        }

        return reasons;
    }
}
