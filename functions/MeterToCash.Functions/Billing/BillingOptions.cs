using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Billing;

/// <summary>Settings <c>Billing__*</c>. Every one has a default.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Days from the issue day to the due day (缴费期限), China-local; the due day is the last day without a late fee.</summary>
    [Range(1, 90)]
    public int DueDays { get; set; } = 15;

    /// <summary>The most accounts one batch may hold, whatever the cycle's size.</summary>
    public const int MaxAccountsPerBatch = 5000;

    /// <summary>Accounts per activity of a cycle (one activity bills a batch, never one account): the smallest batch; a large cycle's are larger (<see cref="MaxBatchesPerCycle"/>).</summary>
    [Range(1, MaxAccountsPerBatch)]
    public int AccountsPerBatch { get; set; } = 100;

    /// <summary>
    /// Batches a cycle aims at most for: a cycle of more than <c>MaxBatchesPerCycle × AccountsPerBatch</c> accounts
    /// gets larger batches (<see cref="AccountsPerBatchFor"/>). A batch's reads are range queries over its accounts
    /// and one durable activity, so fewer, larger batches of a large cycle cost fewer queries, messages and history rows
    /// per account, while the cycle still spreads over as many activities as the app can run at once.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxBatchesPerCycle { get; set; } = 100;

    /// <summary>
    /// Accounts per batch of a cycle of <paramref name="cycleAccounts"/> accounts: <see cref="AccountsPerBatch"/>, or
    /// <c>⌈cycleAccounts / MaxBatchesPerCycle⌉</c> when that is larger, at most <see cref="MaxAccountsPerBatch"/>.
    /// Batches never span two areas, so a cycle of <c>A</c> areas has at most <c>MaxBatchesPerCycle + A</c> batches
    /// (each area's last batch may be short) unless the cap binds.
    /// </summary>
    public int AccountsPerBatchFor(int cycleAccounts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cycleAccounts);
        int spread = (int)(((long)cycleAccounts + MaxBatchesPerCycle - 1) / MaxBatchesPerCycle);
        return Math.Max(AccountsPerBatch, Math.Min(MaxAccountsPerBatch, spread));
    }

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
