using MeterToCash.Domain.MeterData;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// Retention of interval data: curves live in one table per China-local day (<see cref="MeterDataKeys.CurvesTable"/>),
/// so a day past <see cref="MeterDataOptions.CurveRetentionDays"/> goes with one table delete. Month-to-date totals,
/// register reads and the raw payloads (the source of truth) are kept; billing never reads curves that old.
/// </summary>
public sealed class CurveRetention(MeterDataStorage storage, IOptions<MeterDataOptions> options, TimeProvider time, ILogger<CurveRetention> logger)
{
    [Function(nameof(PurgeExpiredCurves))]
    public async Task PurgeExpiredCurves([TimerTrigger("%Ingestion__CurveRetentionSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // The oldest day kept: a day strictly before it is dropped.
        DateOnly oldestKept = ChinaTime.LocalDay(time.GetUtcNow()).AddDays(-options.Value.CurveRetentionDays);
        List<DateOnly> expired = [];
        await foreach (DateOnly day in storage.ListCurveTableDaysAsync(cancellationToken))
        {
            if (day < oldestKept)
            {
                expired.Add(day);
            }
        }

        foreach (DateOnly day in expired)
        {
            await storage.DeleteCurvesTableAsync(day, cancellationToken);
        }

        logger.CurvesPurged(expired.Count, oldestKept, timer.IsPastDue);
    }
}
