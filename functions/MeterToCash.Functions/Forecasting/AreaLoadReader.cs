using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Forecasting;

/// <summary>An area's load on one China-local day: 96 kW values (NaN where too few meters reported), and how many meters had a curve.</summary>
/// <param name="Kw">Average kW per 15-minute slot (Σ active-import kWh of the slot × 4); NaN when fewer than <see cref="AreaLoadReader.SlotCoverage"/> of the day's meters have the slot.</param>
/// <param name="Meters">Meters with an active-import 15-minute curve that day.</param>
public sealed record AreaDayLoad(double[] Kw, int Meters);

/// <summary>
/// An area's load as the forecast reads it, from the meter data's curve store (<see cref="CurveStore.ListAreaDayAsync"/>,
/// the service behind <c>GET /api/areas/{area}/load</c>). A day is summed over the area's active-import 15-minute
/// curves; a slot that fewer than <see cref="SlotCoverage"/> of the day's meters report is a gap, not a low value.
/// Closed days (at least <see cref="ClosedAfterDays"/> days old and with at least 90 valid slots) are kept in the
/// feature's <c>forecastareadays</c> table, so nightly training reads each day's curves once; a later VEE re-run or
/// late file for such a day is not seen by the forecast (it moves an area's total by a fraction of a percent).
/// </summary>
public sealed class AreaLoadReader(CurveStore curves, ForecastStorage storage, TimeProvider time)
{
    /// <summary>Share of the day's meters a slot needs to count.</summary>
    public const double SlotCoverage = 0.9;

    /// <summary>Days after which a complete day is kept as closed.</summary>
    public const int ClosedAfterDays = 3;

    /// <summary>
    /// The area's load of days [<paramref name="from"/>, <paramref name="to"/>] (both inclusive), into <paramref name="series"/>.
    /// A day whose curves came from fewer than <see cref="SlotCoverage"/> of the most meters any day of the range had is
    /// a gap (every slot NaN), not a day of low load: a day the head-end barely delivered would otherwise train the model
    /// and feed its lags with a near-zero area.
    /// </summary>
    public async Task ReadIntoAsync(AreaLoadSeries series, string areaCode, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        Dictionary<DateOnly, AreaDayLoad> cached = await CachedDaysAsync(areaCode, from, to, cancellationToken);
        Dictionary<DateOnly, AreaDayLoad> read = [];
        List<DateOnly> missing = [];
        for (DateOnly day = from; day <= to; day = day.AddDays(1))
        {
            if (!cached.ContainsKey(day))
            {
                missing.Add(day);
            }
        }

        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            AreaDayLoad load = await DayAsync(areaCode, day, ct);
            lock (read)
            {
                read[day] = load;
            }
        });

        int usualMeters = cached.Values.Concat(read.Values).Select(d => d.Meters).DefaultIfEmpty(0).Max();
        bool Partial(AreaDayLoad load) => load.Meters < SlotCoverage * usualMeters;
        foreach ((DateOnly day, AreaDayLoad load) in cached.Concat(read))
        {
            series.SetLoad(day, Partial(load) ? [.. Enumerable.Repeat(double.NaN, AreaLoadSeries.SlotsPerDay)] : load.Kw);
        }

        DateOnly closedThrough = ChinaTime.LocalDay(time.GetUtcNow()).AddDays(-ClosedAfterDays);
        foreach ((DateOnly day, AreaDayLoad load) in read.Where(r => r.Key <= closedThrough && !Partial(r.Value) && r.Value.Kw.Count(v => !double.IsNaN(v)) >= 90))
        {
            TableEntity entity = new(areaCode, Row(day)) { ["Kw"] = ForecastStorage.Pack(load.Kw), ["Meters"] = load.Meters };
            await storage.AreaDays.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
    }

    async Task<Dictionary<DateOnly, AreaDayLoad>> CachedDaysAsync(string areaCode, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        Dictionary<DateOnly, AreaDayLoad> cached = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {areaCode} and RowKey ge {Row(from)} and RowKey le {Row(to)}");
        await foreach (TableEntity e in storage.AreaDays.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (DateOnly.TryParseExact(e.RowKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) && ForecastStorage.Unpack(e.GetBinary("Kw")) is { } kw)
            {
                cached[day] = new AreaDayLoad(kw, e.GetInt32("Meters") ?? 0);
            }
        }

        return cached;
    }

    /// <summary>One area-day summed from the stored curves (not cached); unreadable curves are left out.</summary>
    public async Task<AreaDayLoad> DayAsync(string areaCode, DateOnly day, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredCurve> stored;
        try
        {
            stored = await curves.ListAreaDayAsync(areaCode, day, cancellationToken);
        }
        catch (UnreadableCurveException)
        {
            stored = [];
        }
        catch (RequestFailedException e) when (ForecastStorage.IsNotFound(e))
        {
            stored = [];
        }

        List<DayCurve> quarterHourly = [.. stored.Select(s => s.Curve).Where(c => c.Channel == MeterChannel.ActiveImport && c.IntervalMinutes == AreaLoadSeries.SlotMinutes)];
        double[] kwh = new double[AreaLoadSeries.SlotsPerDay];
        int[] meters = new int[AreaLoadSeries.SlotsPerDay];
        foreach (DayCurve c in quarterHourly)
        {
            ReadOnlySpan<CurveSlot> slots = c.Slots;
            for (int s = 0; s < slots.Length && s < kwh.Length; s++)
            {
                if (slots[s].CountsTowardLoad)
                {
                    kwh[s] += (double)slots[s].Value;
                    meters[s]++;
                }
            }
        }

        double needed = Math.Max(1, SlotCoverage * quarterHourly.Count);
        double[] kw = [.. Enumerable.Range(0, kwh.Length).Select(s => meters[s] >= needed ? Math.Round(kwh[s] * 60 / AreaLoadSeries.SlotMinutes, 3) : double.NaN)];
        return new AreaDayLoad(kw, quarterHourly.Count);
    }

    static string Row(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
