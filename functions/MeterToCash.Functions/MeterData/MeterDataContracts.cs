namespace MeterToCash.Functions.MeterData;

/// <summary>One slot of a meter's day curve. Value null = nothing delivered or estimated.</summary>
public sealed record CurvePointDto(int Slot, DateTimeOffset Start, decimal? Value, string? Quality, int Version, IReadOnlyList<string> FailedRules, string? EstimationMethod, int Revisions);

/// <summary>A meter's day curve; <c>ETag</c> and <c>Revision</c> (number of writes) identify the stored version.</summary>
public sealed record CurveDto(string MeterNo, string AreaCode, string Channel, string Day, int IntervalMinutes, string? ETag, long Revision, decimal Total, IReadOnlyList<CurvePointDto> Points);

/// <summary>One slot of an area's load: the sum of its meters' values and how many meters had one.</summary>
public sealed record AreaLoadPointDto(int Slot, DateTimeOffset Start, decimal Value, int Meters);

/// <summary>An area's summed 15-minute load of one day and channel.</summary>
public sealed record AreaLoadDto(string AreaCode, string Day, string Channel, int IntervalMinutes, int Meters, int CurvesOfOtherIntervals, decimal Total, IReadOnlyList<AreaLoadPointDto> Points);

/// <summary>Energy per time-of-use band.</summary>
public sealed record BandsDto(decimal CriticalPeak, decimal Peak, decimal Flat, decimal Valley, decimal Total);

/// <summary>Month-to-date energy of a meter's channel.</summary>
public sealed record MonthToDateDto(string MeterNo, string Channel, string Month, string Unit, string Classifier, int Days, BandsDto Energy, BandsDto Estimated, int ProvisionalDays, IReadOnlyList<string> Bandings);

/// <summary>The advance of a register since its previous read: meter side and primary side (× CT × PT).</summary>
public sealed record RegisterDeltaDto(string Kind, decimal Value, decimal? PrimaryValue, DateTimeOffset? PreviousReadAt);

/// <summary>One rule's outcome for one value: Pass or Fail (rules not evaluated are left out).</summary>
public sealed record RuleOutcomeDto(string Rule, string Outcome);

/// <summary>Interval sum versus register advance (primary side): Pass, Fail or NotEvaluated (figures null when not attempted).</summary>
public sealed record IntervalSumDto(string Outcome, decimal? RegisterDelta, decimal? IntervalSum);

/// <summary>A stored register read.</summary>
public sealed record RegisterReadDto(
    string Channel,
    string Register,
    DateTimeOffset ReadAt,
    decimal Value,
    decimal PrimaryValue,
    decimal Multiplier,
    string Unit,
    string Quality,
    string DeliveredQuality,
    int? MeterDigits,
    RegisterDeltaDto? Delta,
    IReadOnlyList<RuleOutcomeDto> Rules,
    IntervalSumDto IntervalSum,
    string RawBlob);

/// <summary>A meter's register reads with from ≤ local read day ≤ to, ordered by channel, register and time.</summary>
public sealed record RegisterHistoryDto(string MeterNo, string From, string To, string? Channel, string? Register, int Count, IReadOnlyList<RegisterReadDto> Reads);

/// <summary>A customer's energy of one China-local day over all its meters; <c>EstimatedShare</c> = estimated ÷ total (0 when no energy).</summary>
public sealed record UsageDayDto(string Day, int Meters, BandsDto Energy, BandsDto Estimated, decimal EstimatedShare, bool Provisional, IReadOnlyList<string> Bandings);

/// <summary>A customer's daily usage per TOU band (primary side, from the month-to-date day contributions of every meter).</summary>
public sealed record CustomerUsageDto(string AccountNo, string Channel, string Unit, string Classifier, string From, string To, IReadOnlyList<string> Meters, BandsDto Energy, BandsDto Estimated, decimal EstimatedShare, IReadOnlyList<UsageDayDto> Days);

/// <summary>A customer's energy of one month over all its meters; <c>Days</c> = days with data.</summary>
public sealed record UsageMonthDto(string Month, int Meters, int Days, BandsDto Energy, BandsDto Estimated, decimal EstimatedShare, int ProvisionalDays);

/// <summary>A customer's monthly usage per TOU band.</summary>
public sealed record CustomerMonthlyUsageDto(string AccountNo, string Channel, string Unit, string Classifier, string From, string To, IReadOnlyList<string> Meters, BandsDto Energy, BandsDto Estimated, decimal EstimatedShare, IReadOnlyList<UsageMonthDto> Months);
