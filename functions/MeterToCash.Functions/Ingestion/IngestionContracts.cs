namespace MeterToCash.Functions.Ingestion;

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
public sealed record MonthToDateDto(string MeterNo, string Channel, string Month, string Unit, string Classifier, int Days, BandsDto Energy, BandsDto Estimated);

/// <summary>The answer to a push: counts of every status and one result per item that is not <see cref="ItemStatus.Accepted"/>.</summary>
public sealed record IngestionResponseDto(string RawBlob, bool Redelivery, string? QuarantineBlob, IngestionCounts Counts, IReadOnlyList<ItemResult> Items);
