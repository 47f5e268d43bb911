namespace MeterToCash.Functions.Load;

/// <summary>One interval of a load-rate answer.</summary>
/// <param name="Slot">Interval of the China-local day, 0–95.</param>
/// <param name="Start">Interval start, China time.</param>
/// <param name="Kwh">Energy (kWh), null without data.</param>
/// <param name="Kw">Average load (kW, 3 decimals), null without data.</param>
/// <param name="Rate">Load rate (share, 4 decimals: 0.8123 = 81.23 %), null without data.</param>
/// <param name="Meters">Customer meters (area) or areas (feeder) with a value.</param>
public sealed record LoadRatePointDto(int Slot, DateTimeOffset Start, decimal? Kwh, decimal? Kw, decimal? Rate, int Meters);

/// <summary>The thresholds an answer was judged with.</summary>
public sealed record LoadThresholdsDto(decimal PowerFactor, decimal HeavyShare, decimal OverloadShare, int HeavyIntervals);

/// <summary>The highest interval of a day.</summary>
public sealed record LoadPeakDto(int Slot, DateTimeOffset Start, decimal Kw, decimal Rate);

/// <summary>A heavy-load or overload episode of the day.</summary>
public sealed record LoadEpisodeDto(string Level, DateTimeOffset Start, DateTimeOffset ConfirmedAt, DateTimeOffset? End);

/// <summary><c>GET /api/areas/{area}/load-rate?day=</c>.</summary>
public sealed record AreaLoadRateDto(
    string Area, string? Feeder, string Day, decimal RatedKva, decimal CapacityKw, string Source, LoadThresholdsDto Thresholds,
    int HeavyIntervals, int OverloadIntervals, LoadPeakDto? Peak, IReadOnlyList<LoadEpisodeDto> Episodes, IReadOnlyList<LoadRatePointDto> Points);

/// <summary>An area's share of a feeder answer.</summary>
public sealed record FeederAreaDto(string Area, decimal RatedKva, decimal CapacityKw, decimal? PeakRate);

/// <summary><c>GET /api/feeders/{feeder}/load?day=</c>: the sum of its areas.</summary>
public sealed record FeederLoadDto(
    string Feeder, string Day, decimal RatedKva, decimal CapacityKw, LoadThresholdsDto Thresholds, LoadPeakDto? Peak,
    IReadOnlyList<FeederAreaDto> Areas, IReadOnlyList<LoadRatePointDto> Points);

/// <summary>One day of an area's line loss.</summary>
public sealed record LineLossDayDto(
    string Day, string Class, string? Reason, decimal? MasterKwh, decimal CustomersKwh, decimal? LossKwh, decimal? LossRate,
    decimal MasterCompleteness, decimal CustomerCompleteness, decimal CompletenessThreshold);

/// <summary>The line-loss settings an answer was judged with.</summary>
public sealed record LineLossSettingsDto(decimal NormalMaxShare, decimal CompletenessThreshold, int PersistDays, int BaselineDays, decimal DropShare, decimal MinimumBaselineKwh);

/// <summary>A meter named by the theft-suspicion rule.</summary>
public sealed record SuspectMeterDto(string Meter, decimal BaselineKwhPerDay, decimal RecentKwhPerDay, decimal DropShare);

/// <summary>Persistent high loss within the answered days, and the meters whose consumption dropped.</summary>
public sealed record TheftSuspicionDto(string FirstHighDay, string ConfirmedDay, IReadOnlyList<string> HighDays, IReadOnlyList<string> BaselineDays, decimal? BaselineLossRate, decimal RecentLossRate, IReadOnlyList<SuspectMeterDto> Suspects);

/// <summary><c>GET /api/areas/{area}/line-loss?from=&amp;to=</c>.</summary>
public sealed record AreaLineLossDto(string Area, string? MasterMeter, string From, string To, LineLossSettingsDto Settings, IReadOnlyList<LineLossDayDto> Days, TheftSuspicionDto? TheftSuspicion);

/// <summary>One area of the ranking.</summary>
public sealed record LineLossRankDto(int Rank, string Area, LineLossDayDto Result, DateTimeOffset EvaluatedAt);

/// <summary><c>GET /api/line-loss/ranking?day=</c>: stored results of the day, highest loss first, not-computable last.</summary>
public sealed record LineLossRankingDto(string Day, int AreasInNetwork, int AreasEvaluated, IReadOnlyList<LineLossRankDto> Areas);

/// <summary>Body of <c>POST /api/line-loss/evaluations</c>; both optional (day: yesterday; areas: all).</summary>
public sealed record LineLossEvaluationRequest(string? Day, IReadOnlyList<string>? Areas);

/// <summary>Input of an evaluation.</summary>
public sealed record LineLossEvaluationInput(DateOnly Day, IReadOnlyList<string>? Areas);

/// <summary>One sub-orchestration's share of an evaluation: its areas in groups, one activity per group.</summary>
public sealed record LineLossBatchInput(DateOnly Day, string[][] AreaGroups);

/// <summary>One activity's areas of an evaluation.</summary>
public sealed record LineLossAreasInput(DateOnly Day, string[] Areas);

/// <summary>The state of an evaluation as the API reports it.</summary>
public sealed record LineLossEvaluationStatusDto(string Id, string Status, string Day, LineLossSummary? Summary, string? Failure);
