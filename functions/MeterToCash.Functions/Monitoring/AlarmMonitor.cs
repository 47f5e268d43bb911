using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Monitoring;

/// <summary>
/// Turns a delivery's meter events into alarms: each event's condition is raised (tamper, power off, power quality,
/// clock), power restored closes the meter's power-off alarm, and areas that saw power events are evaluated for an area
/// outage. Everything is idempotent: <see cref="AlarmRules.Raise"/> ignores observations not later than the alarm's
/// last-seen, a restore older than the live alarm closes nothing, and per-meter report times are kept as maxima.
/// <para>
/// Per-meter report state lives in table <c>AlarmMeterStates</c> (PartitionKey = area, RowKey = meter), so evaluating an
/// area is one partition query; it holds the latest report, last gasp and restore instants of each meter (meter clock)
/// and the last arrival of its data (receiving clock), on which silence is judged. The periodic sweep
/// (<see cref="SweepAreaAsync"/>) folds the arrivals of readings into it and judges silence: "stopped reporting"
/// outages and prolonged no-read.
/// </para>
/// </summary>
public sealed class AlarmMonitor(
    AlarmStore alarms,
    MeterDirectory directory,
    ArchiveStore archive,
    CurveStore curves,
    TableServiceClient tables,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<AlarmMonitor> logger) : IMeterEventObserver
{
    public const string StatesTable = "AlarmMeterStates";

    readonly TableClient states = tables.GetTableClient(StatesTable);
    readonly Lazy<Task> created = new(async () =>
    {
        try
        {
            await tables.CreateTableIfNotExistsAsync(StatesTable);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently.
        }
    });

    /// <summary>
    /// Raises (or bumps) the alarm of a condition another feature observed, e.g. VEE's sudden drop to zero; it goes
    /// through the same store, lifecycle and notification outbox as the alarms of events.
    /// </summary>
    public Task<StoredAlarm?> RaiseAsync(string area, AlarmCondition condition, CancellationToken cancellationToken) =>
        alarms.RaiseAsync(area, condition, cancellationToken);

    /// <summary>
    /// Closes the live alarm of a condition another feature observed has ended (e.g. load back below the heavy-load
    /// threshold) at <paramref name="at"/>; nothing when none is live or it opened after <paramref name="at"/>.
    /// </summary>
    public Task<StoredAlarm?> CloseLiveAsync(string area, AlarmKey key, DateTimeOffset at, CancellationToken cancellationToken) =>
        alarms.CloseLiveAsync(area, key, at, cancellationToken);

    /// <summary>Applies a delivery's events. Events of meters not in the archive are not monitored (they cannot be placed in an area).</summary>
    public async Task ObserveAsync(IReadOnlyList<MeterEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await created.Value;
        Dictionary<string, MeterLocation> located = new(StringComparer.OrdinalIgnoreCase);
        int unknown = 0;
        foreach (string meter in events.Select(e => e.Meter.Value).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await directory.ResolveAsync(meter, cancellationToken) is { } location)
            {
                located[meter] = location;
            }
        }

        // Per meter in time order, so a gasp and its restore in one delivery end with the alarm closed.
        HashSet<string> powerAreas = new(StringComparer.Ordinal);
        foreach (IGrouping<string, MeterEvent> meterEvents in events.GroupBy(e => e.Meter.Value, StringComparer.OrdinalIgnoreCase))
        {
            if (!located.TryGetValue(meterEvents.Key, out MeterLocation? location))
            {
                unknown += meterEvents.Count();
                continue;
            }

            List<MeterEvent> ordered = [.. meterEvents.Select(e => e with { Meter = location.Entry.Meter }).OrderBy(e => e.OccurredAt)];
            foreach (MeterEvent e in ordered)
            {
                if (AlarmRules.ConditionOf(e, location.Entry) is { } condition)
                {
                    await alarms.RaiseAsync(location.AreaCode, condition, cancellationToken);
                }

                if (AlarmRules.ClosedBy(e) is { } closes)
                {
                    await alarms.CloseLiveAsync(location.AreaCode, closes, e.OccurredAt, cancellationToken);
                }
            }

            if (ordered.Any(e => e.Kind is MeterEventKind.PowerOff or MeterEventKind.PowerRestored))
            {
                powerAreas.Add(location.AreaCode);
            }

            await RecordReportsAsync(location, ordered, cancellationToken);
        }

        if (unknown > 0)
        {
            logger.EventsOfUnknownMeters(unknown);
        }

        foreach (string area in powerAreas)
        {
            await EvaluateAreaAsync(area, cancellationToken);
        }
    }

    /// <summary>Opens or closes the area-outage alarm of <paramref name="area"/> from its meters' report states as stored.</summary>
    public async Task<OutageDecision> EvaluateAreaAsync(string area, CancellationToken cancellationToken)
    {
        await created.Value;
        DateTimeOffset now = time.GetUtcNow();
        HashSet<string> meters = await AreaMeters.InServiceAsync(archive, area, ChinaTime.LocalDay(now), cancellationToken);
        Dictionary<string, (MeterReportState State, ETag ETag)> known = await StatesAsync(area, cancellationToken);
        return await DecideOutageAsync(area, meters, known.ToDictionary(k => k.Key, k => k.Value.State, StringComparer.Ordinal), now, cancellationToken);
    }

    /// <summary>
    /// The periodic check of one area at <paramref name="at"/>: folds the arrivals of readings (today's and yesterday's
    /// curve writes) into the report states, then judges silence: an area where a large share of meters stopped
    /// reporting becomes an area outage (and closes once they report again), and a meter silent for longer than
    /// <see cref="MonitoringOptions.NoReadAfter"/> gets a prolonged-no-read alarm, closed when its data arrives again.
    /// Meters that never reported are not judged here: they are the read-success rate's "not read" list.
    /// </summary>
    public async Task<SweepSummary> SweepAreaAsync(string area, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await created.Value;
        MonitoringOptions o = options.Value;
        DateOnly today = ChinaTime.LocalDay(at);
        HashSet<string> meters = await AreaMeters.InServiceAsync(archive, area, today, cancellationToken);
        Dictionary<string, (MeterReportState State, ETag ETag)> known = await StatesAsync(area, cancellationToken);
        Dictionary<string, DateTimeOffset> written = await curves.LastWrittenAsync(area, [today, today.AddDays(-1)], cancellationToken);

        Dictionary<string, MeterReportState> reports = new(StringComparer.Ordinal);
        List<TableTransactionAction> arrivals = [];
        foreach (string meter in meters)
        {
            MeterReportState state = known.TryGetValue(meter, out var k) ? k.State : new MeterReportState(new MeterId(meter), null, null, null);
            if (written.TryGetValue(meter, out DateTimeOffset arrived) && (state.LastArrivalAt is not { } recorded || arrived - recorded >= o.ArrivalGranularity))
            {
                state = state with { LastArrivalAt = arrived };
                // Merge touches only the arrival, so a concurrent event delivery's gasp/restore fields are never lost; its
                // ETag-conditional replace retries on the new ETag and keeps this arrival.
                arrivals.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(area, meter) { ["LastArrivalAt"] = arrived }));
            }

            reports[meter] = state;
        }

        foreach (TableTransactionAction[] chunk in arrivals.Chunk(100))
        {
            await states.SubmitTransactionAsync(chunk, cancellationToken);
        }

        int restored = await InferRestorationsAsync(area, today, reports, cancellationToken);
        OutageDecision outage = await DecideOutageAsync(area, meters, reports, at, cancellationToken);

        int opened = 0, closed = 0;
        HashSet<string> noRead = await alarms.LiveSubjectsAsync(area, AlarmKind.ProlongedNoRead, cancellationToken);
        foreach ((string meter, MeterReportState state) in reports)
        {
            if (state.LastArrivalAt is not { } heard)
            {
                continue;
            }

            AlarmKey key = new(AlarmKind.ProlongedNoRead, meter);
            bool silent = ConsumptionRules.IsProlongedNoRead(heard, at, o.NoReadAfter);
            if (silent && !noRead.Contains(meter))
            {
                await alarms.RaiseAsync(area, new AlarmCondition(key, at, null, $"nothing received since {heard.ToOffset(ChinaTime.Offset):yyyy-MM-dd HH:mm} (China time)"), cancellationToken);
                opened++;
            }
            else if (!silent && noRead.Contains(meter) && await alarms.CloseLiveAsync(area, key, heard, cancellationToken) is not null)
            {
                closed++;
            }
        }

        int down = outage.MetersDown;
        return new SweepSummary(1, meters.Count, down, outage.Kind == OutageDecisionKind.Open ? 1 : 0, outage.Kind == OutageDecisionKind.Close ? 1 : 0, opened, closed, restored);
    }

    /// <summary>
    /// A meter whose last gasp was never followed by a power-restored event (lost, or the head-end does not send them)
    /// but that has since measured energy was evidently restored: the start of its first actual interval after the gasp
    /// is taken as the restoration, recorded, and its power-off alarm closed at that instant. Without this such a meter
    /// would count as down, and hold its area's outage open, for ever.
    /// </summary>
    async Task<int> InferRestorationsAsync(string area, DateOnly today, Dictionary<string, MeterReportState> reports, CancellationToken cancellationToken)
    {
        List<string> gasped = [.. reports.Where(r => r.Value.LastGaspAt is { } gasp && (r.Value.LastRestoreAt is null || r.Value.LastRestoreAt < gasp)).Select(r => r.Key)];
        if (gasped.Count == 0)
        {
            return 0;
        }

        Dictionary<string, List<DayCurve>> curvesByMeter = new(StringComparer.Ordinal);
        foreach (DateOnly day in (DateOnly[])[today.AddDays(-1), today])
        {
            foreach (StoredCurve stored in await curves.ListAreaDayAsync(area, day, cancellationToken))
            {
                if (stored.Curve.Channel == MeterChannel.ActiveImport)
                {
                    string meter = MeterDataKeys.Meter(stored.Curve.Meter.Value);
                    if (!curvesByMeter.TryGetValue(meter, out List<DayCurve>? list))
                    {
                        curvesByMeter[meter] = list = [];
                    }

                    list.Add(stored.Curve);
                }
            }
        }

        int restored = 0;
        foreach (string meter in gasped)
        {
            MeterReportState state = reports[meter];
            DateTimeOffset gasp = state.LastGaspAt!.Value;
            DateTimeOffset? back = curvesByMeter.GetValueOrDefault(meter)?
                .SelectMany(c => Enumerable.Range(0, c.SlotCount).Where(s => c.Slots[s].HasValue && MeterChannels.IsActual(c.Slots[s].Quality)).Select(c.SlotStart))
                .Where(start => start >= gasp)
                .Order()
                .Cast<DateTimeOffset?>()
                .FirstOrDefault();
            if (back is not { } at)
            {
                continue;
            }

            await states.UpsertEntityAsync(new TableEntity(area, meter) { ["LastRestoreAt"] = at }, TableUpdateMode.Merge, cancellationToken);
            await alarms.CloseLiveAsync(area, new AlarmKey(AlarmKind.MeterPowerOff, meter), at, cancellationToken);
            reports[meter] = state with { LastRestoreAt = at };
            restored++;
        }

        return restored;
    }

    async Task<OutageDecision> DecideOutageAsync(string area, HashSet<string> meters, IReadOnlyDictionary<string, MeterReportState> known, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<MeterReportState> reports = [.. meters.Select(m => known.TryGetValue(m, out MeterReportState s) ? s : new MeterReportState(new MeterId(m), null, null, null))];
        AlarmKey key = new(AlarmKind.AreaOutage, area);
        StoredAlarm? live = await alarms.FindLiveAsync(area, key, cancellationToken);
        OutageDecision decision = AreaOutageDetector.Evaluate(reports, live is null ? null : new AreaOutage(area, live.Alarm.OpenedAt), now, options.Value.Outage);
        switch (decision.Kind)
        {
            case OutageDecisionKind.Open:
                await alarms.RaiseAsync(area, new AlarmCondition(key, decision.StartedAt!.Value, null, $"{decision.MetersDown} of {decision.MetersTotal} meters down"), cancellationToken);
                logger.AreaOutageOpened(area, decision.MetersDown, decision.MetersTotal, decision.StartedAt.Value);
                break;
            case OutageDecisionKind.Close:
                await alarms.CloseLiveAsync(area, key, decision.EndedAt!.Value, cancellationToken);
                logger.AreaOutageClosed(area, decision.Duration!.Value);
                break;
        }

        return decision;
    }

    async Task<Dictionary<string, (MeterReportState State, ETag ETag)>> StatesAsync(string area, CancellationToken cancellationToken)
    {
        Dictionary<string, (MeterReportState, ETag)> known = new(StringComparer.Ordinal);
        await foreach (TableEntity row in states.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {area}"), cancellationToken: cancellationToken))
        {
            known[row.RowKey] = (ToState(row), row.ETag);
        }

        return known;
    }

    /// <summary>Folds the events into the meter's report state as maxima (idempotent), ETag-conditional against concurrent deliveries.</summary>
    async Task RecordReportsAsync(MeterLocation location, List<MeterEvent> events, CancellationToken cancellationToken)
    {
        string meter = location.Entry.Meter.Value;
        DateTimeOffset arrivedAt = time.GetUtcNow();
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> row = await states.GetEntityIfExistsAsync<TableEntity>(location.AreaCode, meter, cancellationToken: cancellationToken);
            MeterReportState before = row.HasValue ? ToState(row.Value!) : new MeterReportState(location.Entry.Meter, null, null, null);
            MeterReportState after = before with
            {
                LastReportAt = Max(before.LastReportAt, events.Max(e => e.OccurredAt)),
                LastGaspAt = Max(before.LastGaspAt, events.Where(e => e.Kind == MeterEventKind.PowerOff).Select(e => (DateTimeOffset?)e.OccurredAt).Max()),
                LastRestoreAt = Max(before.LastRestoreAt, events.Where(e => e.Kind == MeterEventKind.PowerRestored).Select(e => (DateTimeOffset?)e.OccurredAt).Max()),
                LastArrivalAt = before.LastArrivalAt is { } recorded && arrivedAt - recorded < options.Value.ArrivalGranularity ? recorded : Max(before.LastArrivalAt, arrivedAt),
            };
            if (row.HasValue && after == before)
            {
                return;
            }

            TableEntity entity = new(location.AreaCode, meter)
            {
                ["LastReportAt"] = after.LastReportAt,
                ["LastGaspAt"] = after.LastGaspAt,
                ["LastRestoreAt"] = after.LastRestoreAt,
                ["LastArrivalAt"] = after.LastArrivalAt,
            };
            try
            {
                if (row.HasValue)
                {
                    await states.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await states.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 8)
            {
                // A concurrent delivery of the same meter wrote first: re-read and fold again.
            }
        }
    }

    static MeterReportState ToState(TableEntity row) =>
        new(new MeterId(row.RowKey), row.GetDateTimeOffset("LastReportAt"), row.GetDateTimeOffset("LastGaspAt"), row.GetDateTimeOffset("LastRestoreAt"), row.GetDateTimeOffset("LastArrivalAt"));

    static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
