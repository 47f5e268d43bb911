using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Billing;

/// <summary>Settings <c>Billing__*</c>. Every one has a default.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Days from the issue day to the due day (缴费期限), China-local; the due day is the last day without a late fee.</summary>
    [Range(1, 90)]
    public int DueDays { get; set; } = 15;

    /// <summary>Accounts per activity of a cycle (one activity bills a batch, never one account).</summary>
    [Range(1, 5000)]
    public int AccountsPerBatch { get; set; } = 100;

    /// <summary>Accounts of a batch billed and charged at once within its activity (each waits on storage most of its time).</summary>
    [Range(1, 256)]
    public int AccountsInParallel { get; set; } = 16;

    /// <summary>Batches per sub-orchestration of a cycle.</summary>
    [Range(1, 1000)]
    public int BatchesPerSubOrchestration { get; set; } = 10;

    /// <summary>Hours a cycle waits for reviewers to release or cancel its held bills before it completes and reports what is still held.</summary>
    [Range(0, 24 * 60)]
    public int ReviewHours { get; set; } = 72;

    /// <summary>NCRONTAB (seconds first) of the daily timer that starts the cycle of every billing group whose cycle day it is, read as <c>%Billing__CycleSchedule%</c>.</summary>
    [Required]
    public string CycleSchedule { get; set; } = "0 0 2 * * *";

    /// <summary>NCRONTAB of the daily late-fee run over overdue bills (02:30 China time), read as <c>%Billing__LateFeeSchedule%</c>.</summary>
    [Required]
    public string LateFeeSchedule { get; set; } = "0 30 2 * * *";

    /// <summary>
    /// Test and demo only: the China-local day the late-fee run assesses as of, instead of today. Unset in production.
    /// </summary>
    public DateOnly? LateFeeAsOf { get; set; }

    /// <summary>NCRONTAB of the bill-ready outbox drain, read as <c>%Billing__OutboxSchedule%</c>.</summary>
    [Required]
    public string OutboxSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>Outbox rows younger than this are left to the writer that is still sending them.</summary>
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromMinutes(1);
}
