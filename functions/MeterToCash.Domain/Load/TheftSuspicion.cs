namespace MeterToCash.Domain.Load;

/// <summary>Persistent high line loss of an area, with the meters whose behaviour changed when it rose.</summary>
/// <param name="FirstHighDay">First day of the trailing run of computable high days.</param>
/// <param name="ConfirmedDay">The day the run reached <see cref="LineLossSettings.PersistDays"/> (the alarm's day).</param>
/// <param name="HighDays">Computable high days in the run.</param>
/// <param name="BaselineDays">Computable normal days used as baseline (may be empty: then no meter can be named).</param>
/// <param name="BaselineLossRate">Mean loss rate of the baseline days (share, 4 decimals), null without baseline.</param>
/// <param name="RecentLossRate">Mean loss rate of the high days (share, 4 decimals).</param>
/// <param name="Suspects">Meters named, largest drop in kWh/day first.</param>
public sealed record TheftSuspicion(
    DateOnly FirstHighDay,
    DateOnly ConfirmedDay,
    IReadOnlyList<DateOnly> HighDays,
    IReadOnlyList<DateOnly> BaselineDays,
    decimal? BaselineLossRate,
    decimal RecentLossRate,
    IReadOnlyList<SuspectMeter> Suspects);
