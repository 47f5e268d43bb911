using System.Collections.Concurrent;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Ledger;
using MeterToCash.Functions.Tariffs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Billing;

/// <summary>
/// Billing's two housekeeping timers: the daily late-fee run (违约金) and the bill-ready outbox drain.
/// </summary>
public sealed class BillingTimers(
    BillStore bills,
    AccountLedger ledger,
    TariffCatalog tariffs,
    TimeProvider time,
    IOptions<BillingOptions> options,
    ILogger<BillingTimers> logger)
{
    /// <summary>
    /// Assesses every overdue bill's late fee through today (China local; <see cref="BillingOptions.LateFeeAsOf"/> when
    /// set). The bills come from the due index (<see cref="BillStore.DueBeforeAsync"/>: due dates before the day, so
    /// at least one day late), not from a scan of accounts. Per bill the ledger decides: a bill whose principal is paid or
    /// whose charge is reversed leaves the index; otherwise <see cref="AccountLedger.AssessLateFeeAsync"/> posts entry
    /// <c>latefee:{billId}:{day}</c> with the rule of the tariff version the bill was rated under (in effect on the
    /// period's last day), once per bill and day however often the run repeats.
    /// </summary>
    [Function(nameof(AssessLateFees))]
    public async Task AssessLateFees([TimerTrigger("%Billing__LateFeeSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        DateOnly day = options.Value.LateFeeAsOf ?? ChinaTime.LocalDay(time.GetUtcNow());
        List<DueBill> overdue = [];
        await foreach (DueBill bill in bills.DueBeforeAsync(day, cancellationToken))
        {
            overdue.Add(bill);
        }

        int assessed = 0, settled = 0;
        ConcurrentDictionary<string, Task<Tariff?>> tariffCache = new(StringComparer.Ordinal);
        // One account's bills in sequence (they append to the same ledger partition); accounts in parallel.
        await Parallel.ForEachAsync(overdue.GroupBy(b => b.AccountNo, StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (account, ct) =>
        {
            LedgerState state = await ledger.StateAsync(account.Key, ct);
            foreach (DueBill bill in account)
            {
                if (state.FindBill(bill.BillId) is not { } open)
                {
                    // Indexed before its charge is posted: the retry of the charge posts it; the next run assesses it.
                    logger.LateFeeSkipped(bill.BillId, "its charge is not in the ledger yet");
                    continue;
                }

                if (open.Reversed || open.PrincipalOpen.Fen <= 0)
                {
                    await bills.RemoveDueAsync(bill, ct);
                    Interlocked.Increment(ref settled);
                    continue;
                }

                Tariff? tariff = await tariffCache.GetOrAdd(bill.TariffCode, code => tariffs.GetAsync(code, ct));
                LateFeeRule? rule = tariff is null ? null : (tariff.Versions.LastOrDefault(v => v.EffectiveFrom <= bill.PeriodLastDay) ?? tariff.Versions[0]).LateFee;
                if (rule is null)
                {
                    logger.LateFeeSkipped(bill.BillId, tariff is null ? $"tariff '{bill.TariffCode}' is not in the catalogue" : $"tariff '{bill.TariffCode}' has no late-fee rule");
                    continue;
                }

                LedgerPostResult result = await ledger.AssessLateFeeAsync(bill.AccountNo, bill.BillId, day, rule, ct);
                if (result.Refusal is { } refusal)
                {
                    // Contention or a fault: nothing was posted; the next run (or a fired one) tries again.
                    logger.LateFeeSkipped(bill.BillId, refusal.ToString());
                    continue;
                }

                if (result.Outcome == PostingOutcome.Posted)
                {
                    Interlocked.Increment(ref assessed);
                }
            }
        });
        logger.LateFeesAssessed(day, overdue.Count, assessed, settled);
    }

    /// <summary>
    /// Sends bill-ready notifications a process stored but did not get to send (it died between the transaction and the
    /// queue send). Rows younger than <see cref="BillingOptions.OutboxGrace"/> are left to the writer still sending them.
    /// </summary>
    [Function(nameof(DrainBillOutbox))]
    public async Task DrainBillOutbox([TimerTrigger("%Billing__OutboxSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        int sent = await bills.DrainOutboxAsync(time.GetUtcNow() - options.Value.OutboxGrace, cancellationToken);
        if (sent > 0)
        {
            logger.BillOutboxDrained(sent);
        }
    }
}
