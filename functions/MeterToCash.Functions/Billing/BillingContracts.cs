using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Functions.Billing;

/// <summary>What the cycle decided for a bill when it was made.</summary>
public enum BillDecision
{
    /// <summary>Every check passed: issued and charged to the ledger.</summary>
    Issued,

    /// <summary>A check failed or data was missing: waiting for a reviewer (release or cancel).</summary>
    HeldForReview,
}

/// <summary>Where a bill is in its life. The bill document never changes; its status does, once.</summary>
public enum BillStatus
{
    /// <summary>Waiting for review; not charged.</summary>
    Held,

    /// <summary>Issued and charged.</summary>
    Issued,

    /// <summary>Cancelled: never charged, or its charge reversed (a rebill issues a new revision).</summary>
    Cancelled,
}

/// <summary>A reason a bill was held: a code (hold code, rating rule or check) and a sentence.</summary>
public sealed record BillReason(string Code, string Message);

/// <summary>Where one meter's figures came from.</summary>
public sealed record BillMeterSource(
    string MeterNo,
    string ServicePointId,
    DateOnly SpanStart,
    DateOnly SpanEnd,
    int Multiplier,
    EnergySource ActiveSource,
    EnergySource? ReactiveSource,
    IReadOnlyList<BillRegisterRead> Reads,
    int CurveDays,
    decimal Kwh,
    BandEnergy? Bands,
    decimal? Kvarh,
    decimal EstimatedKwh,
    decimal? MaximumDemandKw);

/// <summary>A register read a bill used: its band, time, meter-side value and quality.</summary>
public sealed record BillRegisterRead(string Register, DateTimeOffset ReadAt, decimal Value, string Quality);

/// <summary>
/// A bill as stored: immutable once written. Everything a reader needs to check it by hand: the determinants and their
/// sources per meter, the rated lines with tariff version and clause, the decision and its reasons.
/// </summary>
public sealed record StoredBill
{
    public required string BillId { get; init; }

    public required string AccountNo { get; init; }

    public required string CustomerName { get; init; }

    public required string CustomerClass { get; init; }

    public required string Address { get; init; }

    public required string GroupCode { get; init; }

    public required string CycleId { get; init; }

    /// <summary>First billed day, inclusive (China local).</summary>
    public required DateOnly PeriodStart { get; init; }

    /// <summary>Day after the last billed day, exclusive (China local).</summary>
    public required DateOnly PeriodEnd { get; init; }

    /// <summary>1 for the first bill of the account and period; a rebill is the next revision.</summary>
    public required int Revision { get; init; }

    /// <summary>The bill a rebill replaces, or null.</summary>
    public string? Replaces { get; init; }

    public required BillDecision Decision { get; init; }

    public IReadOnlyList<BillReason> Reasons { get; init; } = [];

    public required string TariffCode { get; init; }

    public BillDeterminants? Determinants { get; init; }

    public IReadOnlyList<BillMeterSource> Sources { get; init; } = [];

    /// <summary>Estimated kWh ÷ total kWh, 4 decimals.</summary>
    public decimal EstimatedShare { get; init; }

    /// <summary>The engine's bill: every line with its version and clause; null when the bill was held before rating.</summary>
    public Bill? Rated { get; init; }

    /// <summary>The amount due, fen (the rated total; 0 when not rated).</summary>
    public required long TotalFen { get; init; }

    public required DateOnly IssuedOn { get; init; }

    /// <summary>Last day to pay without a late fee, inclusive.</summary>
    public required DateOnly DueDate { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A bill as the API answers it: the stored document with its current status.</summary>
public sealed record BillDto(StoredBill Bill, BillStatus Status, string? StatusBy, DateTimeOffset? StatusAt);

/// <summary>A bill in a list.</summary>
public sealed record BillSummaryDto(string BillId, string AccountNo, string Period, int Revision, BillStatus Status, long TotalFen, string Total, DateOnly DueDate, IReadOnlyList<BillReason> Reasons);
