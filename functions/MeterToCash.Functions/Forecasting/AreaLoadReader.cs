using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Load;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Forecasting;

/// <summary>An area's load on one China-local day: 96 kW values (NaN where too few meters reported), and how many customer meters reported.</summary>
/// <param name="Kw">Average kW per 15-minute slot (Σ the customers' active-import kWh of the slot × 4); NaN when fewer than <see cref="AreaLoadReader.SlotCoverage"/> of the day's reporting meters have the slot.</param>
/// <param name="Meters">Customer meters (low voltage, in service) with an active-import 15-minute curve that day.</param>
public sealed record AreaDayLoad(double[] Kw, int Meters);

/// <summary>
/// An area's load as the forecast reads it: the load monitoring's definition (<see cref="LoadReader"/>, the data behind
/// <c>GET /api/areas/{area}/load-rate</c>), the low-voltage customers in service behind the transformer, so the
/// forecast is comparable with the load rate and the transformer's capacity. A slot that fewer than
/// <see cref="SlotCoverage"/> of the day's reporting meters have is a gap (NaN), not a low value. Closed days (at least
/// <see cref="ClosedAfterDays"/> days old and with at least 90 valid slots) are kept in the feature's
/// <c>forecastareadays</c> table, so nightly training reads each day's curves once; a later VEE re-run or late file for
/// such a day is not seen by the forecast (it moves an area's total by a fraction of a percent).
/// </summary>
public sealed class AreaLoadReader(LoadReader loads, ForecastStorage storage, TimeProvider time)
{
    /// <summary>Share of the day's reporting meters a slot needs to count, and share of the range's usual meters a day needs.</summary>
    public const double SlotCoverage = 0.9;

    /// <summary>Days after which a complete day is kept as closed.</summary>
    public const int ClosedAfterDays = 3;

    /// <summary>
    /// The definition of the kept days: a kept row of another definition (an earlier one) is read again and replaced.
    /// </summary>
    const string Definition = "lv-customers";

    /// <summary>
    /// The area's load of days [<paramref name="from"/>, <paramref name="to"/>] (both inclusive), into <paramref name="series"/>.
    /// A day whose curves came from fewer than <see cref="SlotCoverage"/> of the most meters any day of the range had is
    /// a gap (every slot NaN), not a day of low load: a day the head-end barely delivered would otherwise train the model
    /// and feed its lags with a near-empty area. The reference is the meters that report, not the archive's count, so a
    /// meter that never reports (a dead module awaiting a site visit) does not turn every day into a gap.
    /// </summary>
    public async Task ReadIntoAsync(AreaLoadSeries series, string areaCode, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        Dictionary<DateOnly, AreaDayLoad> cached = await CachedDaysAsync(areaCode, from, to, cancellationToken);
        List<DateOnly> missing = [];
        for (DateOnly day = from; day <= to; day = day.AddDays(1))
        {
            if (!cached.ContainsKey(day))
            {
                missing.Add(day);
            }
        }

        Dictionary<DateOnly, AreaDayLoad> read = missing.Count == 0 ? []
            : await loads.AreaAsync(areaCode, cancellationToken) is { } area ? await ReadDaysAsync(area, missing, cancellationToken)
            : missing.ToDictionary(d => d, _ => new AreaDayLoad(Gaps(), 0));
        int usualMeters = cached.Values.Concat(read.Values).Select(d => d.Meters).DefaultIfEmpty(0).Max();
        bool Partial(AreaDayLoad load) => load.Meters < SlotCoverage * usualMeters;
        foreach ((DateOnly day, AreaDayLoad load) in cached.Concat(read))
        {
            series.SetLoad(day, Partial(load) ? Gaps() : load.Kw);
        }

        await KeepClosedDaysAsync(areaCode, [.. read.Where(r => !Partial(r.Value))], cancellationToken);
    }

    /// <summary>One area-day of an area the caller has read from the archive (not cached): a day without data is all gaps.</summary>
    public async Task<AreaDayLoad> DayAsync(NetworkNode area, DateOnly day, CancellationToken cancellationToken) =>
        (await ReadDaysAsync(area, [day], cancellationToken))[day];

    async Task<Dictionary<DateOnly, AreaDayLoad>> ReadDaysAsync(NetworkNode area, IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        Dictionary<DateOnly, AreaDayLoad> read = [];
        IReadOnlyList<Meter> customerMeters = await loads.CustomerMetersAsync(area.Code, cancellationToken);
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            AreaDayLoad load = Load(await ReadingAsync(area, customerMeters, day, ct));
            lock (read)
            {
                read[day] = load;
            }
        });
        return read;
    }

    async Task<AreaDayReading?> ReadingAsync(NetworkNode area, IReadOnlyList<Meter> customerMeters, DateOnly day, CancellationToken cancellationToken)
    {
        try
        {
            return await loads.ReadAsync(area, customerMeters, day, cancellationToken);
        }
        catch (UnreadableCurveException)
        {
            return null;
        }
        catch (RequestFailedException e) when (ForecastStorage.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>The reading's kW per slot, NaN where fewer than <see cref="SlotCoverage"/> of the day's reporting meters have the slot.</summary>
    static AreaDayLoad Load(AreaDayReading? reading)
    {
        if (reading is null)
        {
            return new AreaDayLoad(Gaps(), 0);
        }

        int reporting = reading.MeterKwh.Count;
        double needed = Math.Max(1, SlotCoverage * reporting);
        double[] kw = [.. Enumerable.Range(0, AreaLoadSeries.SlotsPerDay).Select(s =>
            reading.CustomerKwh[s] is { } kwh && reading.CustomerMetersPerSlot[s] >= needed ? Math.Round((double)kwh * 60 / AreaLoadSeries.SlotMinutes, 3) : double.NaN)];
        return new AreaDayLoad(kw, reporting);
    }

    async Task KeepClosedDaysAsync(string areaCode, IReadOnlyList<KeyValuePair<DateOnly, AreaDayLoad>> read, CancellationToken cancellationToken)
    {
        DateOnly closedThrough = ChinaTime.LocalDay(time.GetUtcNow()).AddDays(-ClosedAfterDays);
        foreach ((DateOnly day, AreaDayLoad load) in read.Where(r => r.Key <= closedThrough && r.Value.Kw.Count(v => !double.IsNaN(v)) >= 90))
        {
            TableEntity entity = new(areaCode, Row(day)) { ["Kw"] = ForecastStorage.Pack(load.Kw), ["Meters"] = load.Meters, ["Definition"] = Definition };
            await storage.AreaDays.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
    }

    async Task<Dictionary<DateOnly, AreaDayLoad>> CachedDaysAsync(string areaCode, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        Dictionary<DateOnly, AreaDayLoad> cached = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {areaCode} and RowKey ge {Row(from)} and RowKey le {Row(to)}");
        await foreach (TableEntity e in storage.AreaDays.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.GetString("Definition") == Definition
                && DateOnly.TryParseExact(e.RowKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
                && ForecastStorage.Unpack(e.GetBinary("Kw")) is { } kw)
            {
                cached[day] = new AreaDayLoad(kw, e.GetInt32("Meters") ?? 0);
            }
        }

        return cached;
    }

    static double[] Gaps() => [.. Enumerable.Repeat(double.NaN, AreaLoadSeries.SlotsPerDay)];

    static string Row(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
