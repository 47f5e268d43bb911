using System.Globalization;
using System.Text;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Load;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Load;

/// <summary>What one area's line-loss evaluation found.</summary>
public sealed record LineLossSummary(int Areas, int Computable, int High, int Negative, int NotComputable, int TheftSuspicions)
{
    public static readonly LineLossSummary Zero = new(0, 0, 0, 0, 0, 0);

    public static LineLossSummary operator +(LineLossSummary a, LineLossSummary b) => new(
        a.Areas + b.Areas, a.Computable + b.Computable, a.High + b.High, a.Negative + b.Negative, a.NotComputable + b.NotComputable, a.TheftSuspicions + b.TheftSuspicions);
}

/// <summary>
/// Turns load rates and line losses into alarms through the alarm monitor (its store, lifecycle, outbox and
/// notifications). Everything here is idempotent: an episode is raised at the instant it was confirmed and closed at
/// the instant it ended, so evaluating the same data again changes nothing (<see cref="AlarmRules.Raise"/> ignores an
/// observation not later than the alarm's last-seen or its close; a close before the live alarm opened is ignored).
/// <list type="bullet">
/// <item><b>Heavy load / overload</b> (<see cref="CheckAsync"/>): on every monitoring sweep (every 5 minutes), each
/// area's yesterday + today load rates (192 intervals, so an episode across midnight is one) are scanned by
/// <see cref="LoadEpisodeDetector"/>; each episode opens its alarm at the end of its confirming interval and closes at
/// the start of the first measured interval below the threshold.</item>
/// <item><b>Line loss</b> (<see cref="EvaluateLineLossAsync"/>): nightly (and on demand), the lookback days ending with
/// the evaluated day are computed, stored, and judged: persistent high loss raises <see cref="AlarmKind.TheftSuspicion"/>
/// (at the end of the day the run reached its length, naming the meters of <see cref="TheftSuspicionRule"/>), closed at
/// the end of the first later computable day that is not high; each run of negative days raises
/// <see cref="AlarmKind.NegativeLineLoss"/> at the end of its first day, closed at the end of the next computable
/// non-negative day.</item>
/// </list>
/// </summary>
public sealed class LoadMonitor(LoadReader reader, LineLossStore results, AlarmMonitor alarms, TimeProvider time, IOptions<LoadOptions> options, ILogger<LoadMonitor> logger) : IAreaSweepCheck
{
    /// <summary>Most meters a theft-suspicion alarm's detail names (the line-loss API lists them all).</summary>
    const int MaxNamed = 20;

    /// <inheritdoc />
    public async Task CheckAsync(string area, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await reader.AreaAsync(area, cancellationToken) is not { RatedKva: { } kva } node)
        {
            return;
        }

        LoadRateSettings settings = options.Value.LoadRate;
        DateOnly today = ChinaTime.LocalDay(at), yesterday = today.AddDays(-1);
        IReadOnlyList<Meter> customerMeters = await reader.CustomerMetersAsync(area, cancellationToken);
        AreaDayReading[] days = await Task.WhenAll(reader.ReadAsync(node, customerMeters, yesterday, cancellationToken), reader.ReadAsync(node, customerMeters, today, cancellationToken));
        decimal?[] kwh = [.. days[0].CustomerKwh, .. days[1].CustomerKwh];
        LoadRatePoint[] points = LoadRateCalculator.Compute(kwh, 15, LoadRateCalculator.CapacityKw(kva, settings));
        DateTimeOffset origin = ChinaTime.DayStart(yesterday);
        foreach (LoadEpisode episode in LoadEpisodeDetector.Find([.. points.Select(p => p.Rate)], settings))
        {
            AlarmKey key = new(episode.Level == LoadLevel.Heavy ? AlarmKind.HeavyLoad : AlarmKind.Overload, area);
            DateTimeOffset confirmedAt = origin.AddMinutes(15 * (episode.ConfirmedSlot + 1));
            decimal peak = points[episode.StartSlot..(episode.EndSlot ?? points.Length)].Max(p => p.Rate ?? 0);
            decimal threshold = episode.Level == LoadLevel.Heavy ? settings.HeavyShare : settings.OverloadShare;
            string detail = string.Create(CultureInfo.InvariantCulture,
                $"load rate ≥ {threshold:P0} from {Local(origin.AddMinutes(15 * episode.StartSlot))} (China time), peak {peak:P2} of {kva} kVA × PF {settings.PowerFactor}");
            if (await alarms.RaiseAsync(area, new AlarmCondition(key, confirmedAt, null, detail), cancellationToken) is { } raised && raised.Alarm.OpenedAt == confirmedAt)
            {
                logger.LoadEpisodeRaised(area, episode.Level.ToString(), confirmedAt);
            }

            if (episode.EndSlot is { } end)
            {
                await alarms.CloseLiveAsync(area, key, origin.AddMinutes(15 * end), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Computes the lookback days ending with <paramref name="day"/> (inclusive) for one area, stores them, and opens or
    /// closes its line-loss alarms.
    /// </summary>
    public async Task<LineLossSummary> EvaluateLineLossAsync(string area, DateOnly day, CancellationToken cancellationToken)
    {
        if (await reader.AreaAsync(area, cancellationToken) is not { } node)
        {
            return LineLossSummary.Zero;
        }

        LoadOptions o = options.Value;
        (IReadOnlyList<LineLossDay> days, Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>> meterKwh) = await ComputeAsync(node, day.AddDays(1 - o.LineLossLookbackDays), day, cancellationToken);
        await results.WriteAsync(area, days, time.GetUtcNow(), cancellationToken);

        // Negative loss: each run of negative computable days is one episode.
        AlarmKey negative = new(AlarmKind.NegativeLineLoss, area);
        LineLossDay? runStart = null;
        foreach (LineLossDay d in days.Where(d => d.Computable))
        {
            if (d.Class == LineLossClass.Negative)
            {
                if (runStart is null)
                {
                    runStart = d;
                    await alarms.RaiseAsync(area, new AlarmCondition(negative, End(d.Day), null, string.Create(CultureInfo.InvariantCulture,
                        $"line loss {d.LossRate:P2} on {d.Day:yyyy-MM-dd}: customers metered {d.CustomersKwh:0.###} kWh, master meter {d.MasterKwh:0.###} kWh; check the master meter's CT ratio and which area the customers are filed under")), cancellationToken);
                }
            }
            else if (runStart is not null)
            {
                await alarms.CloseLiveAsync(area, negative, End(d.Day), cancellationToken);
                runStart = null;
            }
        }

        // Persistent high loss: judged on the trailing run.
        AlarmKey theft = new(AlarmKind.TheftSuspicion, area);
        TheftSuspicion? suspicion = TheftSuspicionRule.Evaluate(days, meterKwh, o.LineLoss);
        if (suspicion is not null)
        {
            await alarms.RaiseAsync(area, new AlarmCondition(theft, End(suspicion.ConfirmedDay), null, Describe(suspicion)), cancellationToken);
            logger.TheftSuspected(area, suspicion.FirstHighDay, suspicion.Suspects.Count);
        }
        else
        {
            // Closed at the end of the first computable day after the last high one (the first day the loss was normal again).
            List<LineLossDay> computable = [.. days.Where(d => d.Computable)];
            int lastHigh = computable.FindLastIndex(d => d.Class == LineLossClass.High);
            if (lastHigh + 1 < computable.Count)
            {
                await alarms.CloseLiveAsync(area, theft, End(computable[lastHigh + 1].Day), cancellationToken);
            }
        }

        LineLossDay last = days[^1];
        return new LineLossSummary(1, last.Computable ? 1 : 0, last.Class == LineLossClass.High ? 1 : 0, last.Class == LineLossClass.Negative ? 1 : 0, last.Computable ? 0 : 1, suspicion is null ? 0 : 1);
    }

    /// <summary>An area's line loss for the days <paramref name="from"/>–<paramref name="to"/> (both inclusive), with each day's energy per customer meter.</summary>
    public async Task<(IReadOnlyList<LineLossDay> Days, Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>> MeterKwh)> ComputeAsync(NetworkNode area, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        LineLossSettings settings = options.Value.LineLoss;
        List<LineLossDay> days = [];
        Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>> meterKwh = [];
        IReadOnlyList<Meter> customerMeters = await reader.CustomerMetersAsync(area.Code, cancellationToken);
        for (DateOnly d = from; d <= to; d = d.AddDays(1))
        {
            AreaDayReading reading = await reader.ReadAsync(area, customerMeters, d, cancellationToken);
            days.Add(LineLossCalculator.Compute(reading.LineLossInput, settings));
            meterKwh[d] = reading.MeterKwh;
        }

        return (days, meterKwh);
    }

    /// <summary>The alarm text of a suspicion: the loss before and after, and the meters named with their drop.</summary>
    public static string Describe(TheftSuspicion s)
    {
        ArgumentNullException.ThrowIfNull(s);
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"line loss {s.RecentLossRate:P2} on {s.HighDays.Count} computable days since {s.FirstHighDay:yyyy-MM-dd}");
        text.Append(s.BaselineLossRate is { } b ? string.Create(CultureInfo.InvariantCulture, $" (baseline {b:P2} on {s.BaselineDays.Count} days)") : " (no normal days before to compare with)");
        if (s.Suspects.Count == 0)
        {
            text.Append("; no meter's consumption dropped against its own baseline");
        }
        else
        {
            text.Append("; consumption dropped at: ");
            text.AppendJoin(", ", s.Suspects.Take(MaxNamed).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Meter} ({m.BaselineKwhPerDay:0.###} → {m.RecentKwhPerDay:0.###} kWh/day, −{m.DropShare:P0})")));
            if (s.Suspects.Count > MaxNamed)
            {
                text.Append(CultureInfo.InvariantCulture, $" and {s.Suspects.Count - MaxNamed} more");
            }
        }

        return text.ToString();
    }

    static DateTimeOffset End(DateOnly day) => ChinaTime.DayStart(day.AddDays(1));

    static string Local(DateTimeOffset instant) => instant.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
