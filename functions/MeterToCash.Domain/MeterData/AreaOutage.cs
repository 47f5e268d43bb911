namespace MeterToCash.Domain.MeterData;

/// <summary>What the pipeline knows about one meter's reporting, for outage detection. Instants are UTC.</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="LastReportAt">Latest data received from the meter (any reading or event), or null.</param>
/// <param name="LastGaspAt">Latest power-off (last gasp) event, or null.</param>
/// <param name="LastRestoreAt">Latest power-restored event, or null.</param>
/// <param name="LastArrivalAt">
/// When data from the meter last arrived (receiving clock), or null if not tracked. Silence is judged on it when known,
/// because head-ends back-fill: the data of a live meter can describe hours long past, so its own timestamps say
/// nothing about whether the meter is still reporting.
/// </param>
public readonly record struct MeterReportState(Common.MeterId Meter, DateTimeOffset? LastReportAt, DateTimeOffset? LastGaspAt, DateTimeOffset? LastRestoreAt, DateTimeOffset? LastArrivalAt = null)
{
    /// <summary>
    /// Since when the meter is down at <paramref name="now"/>, or null if up. Down means: a last gasp with neither a
    /// restore nor a later report after it; or silence for at least <paramref name="silence"/> since the last arrival
    /// (or, where arrivals are not tracked, the last report): down since then.
    /// </summary>
    public DateTimeOffset? DownSince(DateTimeOffset now, TimeSpan silence)
    {
        if (LastGaspAt is { } gasp && (LastRestoreAt is null || LastRestoreAt < gasp) && (LastReportAt is null || LastReportAt <= gasp))
        {
            return gasp;
        }

        if ((LastArrivalAt ?? LastReportAt) is { } heard && now - heard >= silence)
        {
            return heard;
        }

        return null;
    }

    /// <summary>
    /// When the meter reported power restoration after <paramref name="since"/>, or null. Only restore events count: the
    /// latest report time says nothing about when a silent meter came back.
    /// </summary>
    public DateTimeOffset? BackAt(DateTimeOffset since) => LastRestoreAt is { } restore && restore > since ? restore : null;
}

/// <summary>Area outage thresholds.</summary>
public sealed record OutageOptions
{
    /// <summary>The defaults documented in docs/meter-data.md.</summary>
    public static readonly OutageOptions Default = new();

    /// <summary>Share of meters down that opens an area outage (default 0.5).</summary>
    public decimal OpenShare { get; init; } = 0.5m;

    /// <summary>Share of meters still down below which the outage closes (default 0.1; hysteresis against flapping).</summary>
    public decimal CloseShare { get; init; } = 0.1m;

    /// <summary>Areas with fewer meters are never declared out (default 3).</summary>
    public int MinimumMeters { get; init; } = 3;

    /// <summary>Silence after which a meter without last gasp counts as down (default 1 hour, longer than the push period).</summary>
    public TimeSpan Silence { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>An open area outage as stored by the pipeline.</summary>
/// <param name="AreaId">Area.</param>
/// <param name="StartedAt">When the down share reached the threshold, UTC.</param>
public sealed record AreaOutage(string AreaId, DateTimeOffset StartedAt);

/// <summary>What the detector decided.</summary>
public enum OutageDecisionKind
{
    /// <summary>No outage, none open.</summary>
    None = 0,

    /// <summary>Open a new outage.</summary>
    Open = 1,

    /// <summary>The open outage continues.</summary>
    Continue = 2,

    /// <summary>Close the open outage.</summary>
    Close = 3,
}

/// <summary>Detector output.</summary>
/// <param name="Kind">Decision.</param>
/// <param name="StartedAt">Outage start (Open, Continue, Close).</param>
/// <param name="EndedAt">Outage end (Close).</param>
/// <param name="MetersDown">Meters down now.</param>
/// <param name="MetersTotal">Meters in the area.</param>
public readonly record struct OutageDecision(OutageDecisionKind Kind, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, int MetersDown, int MetersTotal)
{
    /// <summary>Outage duration for a close decision.</summary>
    public TimeSpan? Duration => StartedAt is { } s && EndedAt is { } e ? e - s : null;
}

/// <summary>Turns per-meter report states into area outage open/close decisions. Pure and deterministic.</summary>
public static class AreaOutageDetector
{
    /// <summary>
    /// Evaluates an area. With no open outage, opens one when at least <see cref="OutageOptions.OpenShare"/> of at least
    /// <see cref="OutageOptions.MinimumMeters"/> meters are down; the start is the instant the share was reached (the k-th
    /// earliest down-since, k = ⌈share × total⌉). With an open outage, closes it when the down share falls below
    /// <see cref="OutageOptions.CloseShare"/>; the end is the latest power-restored event after the start among meters now
    /// up (capped at <paramref name="now"/>), so the duration covers the whole restoration; without any restore event the
    /// end is <paramref name="now"/>, the moment restoration was observed.
    /// </summary>
    public static OutageDecision Evaluate(IReadOnlyList<MeterReportState> meters, AreaOutage? open, DateTimeOffset now, OutageOptions options)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        int total = meters.Count;
        var downSince = new List<DateTimeOffset>(total);
        foreach (MeterReportState m in meters)
        {
            if (m.DownSince(now, options.Silence) is { } since)
            {
                downSince.Add(since);
            }
        }

        int down = downSince.Count;
        decimal share = total == 0 ? 0m : (decimal)down / total;
        if (open is null)
        {
            if (total < options.MinimumMeters || share < options.OpenShare)
            {
                return new OutageDecision(OutageDecisionKind.None, null, null, down, total);
            }

            downSince.Sort();
            int k = Math.Max(1, (int)Math.Ceiling(options.OpenShare * total));
            return new OutageDecision(OutageDecisionKind.Open, downSince[k - 1], null, down, total);
        }

        if (share >= options.CloseShare)
        {
            return new OutageDecision(OutageDecisionKind.Continue, open.StartedAt, null, down, total);
        }

        DateTimeOffset? end = null;
        foreach (MeterReportState m in meters)
        {
            if (m.DownSince(now, options.Silence) is null && m.BackAt(open.StartedAt) is { } back && (end is null || back > end))
            {
                end = back;
            }
        }

        DateTimeOffset ended = end is { } e && e < now ? e : now;
        return new OutageDecision(OutageDecisionKind.Close, open.StartedAt, ended, down, total);
    }
}
