using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Forecasting;

namespace MeterToCash.Functions.Forecasting;

/// <summary>Whether a temperature was observed or forecast.</summary>
public enum WeatherKind
{
    /// <summary>Measured at the station.</summary>
    Observation,

    /// <summary>A weather service's forecast; replaced by the observation when it arrives.</summary>
    Forecast,
}

/// <summary>One temperature reading for a station.</summary>
/// <param name="Instant">When it applies.</param>
/// <param name="TemperatureC">Air temperature, °C.</param>
/// <param name="Kind">Observed or forecast.</param>
public readonly record struct WeatherReading(DateTimeOffset Instant, double TemperatureC, WeatherKind Kind);

/// <summary>
/// Temperature per weather station and China-local day, on the 15-minute grid (96 values; hourly readings fill their
/// hour by linear interpolation, see <see cref="AreaLoadSeries.Interpolated"/>). Keys: PK station, RK yyyyMMdd. An
/// observation replaces a forecast of the same slot, never the other way round, so loading the same file twice, or a
/// forecast after the observations, changes nothing; writes are conditional on the ETag read.
/// </summary>
public sealed class WeatherStore(ForecastStorage storage)
{
    /// <summary>Merges readings into their station-days; answers the days written (unchanged days are not written).</summary>
    public async Task<int> MergeAsync(string station, IReadOnlyList<WeatherReading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        int written = 0;
        foreach (IGrouping<DateOnly, WeatherReading> day in readings.GroupBy(r => Domain.MeterData.ChinaTime.LocalDay(r.Instant)))
        {
            for (int attempt = 1; ; attempt++)
            {
                NullableResponse<TableEntity> found = await storage.Weather.GetEntityIfExistsAsync<TableEntity>(station, Row(day.Key), cancellationToken: cancellationToken);
                (double[] temps, char[] kinds) = found.HasValue ? Decode(found.Value!) : (Enumerable.Repeat(double.NaN, 96).ToArray(), Enumerable.Repeat('-', 96).ToArray());
                (double[] before, char[] kindsBefore) = ((double[])temps.Clone(), (char[])kinds.Clone());
                Merge(day, temps, kinds);
                if (temps.SequenceEqual(before) && kinds.SequenceEqual(kindsBefore))
                {
                    break;
                }

                TableEntity entity = new(station, Row(day.Key)) { ["Temperatures"] = ForecastStorage.Pack(temps), ["Kinds"] = new string(kinds) };
                try
                {
                    if (found.HasValue)
                    {
                        await storage.Weather.UpdateEntityAsync(entity, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    else
                    {
                        await storage.Weather.AddEntityAsync(entity, cancellationToken);
                    }

                    written++;
                    break;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
                {
                    // Another upload wrote the day since it was read: merge again into what is stored now.
                }
            }
        }

        return written;
    }

    /// <summary>The station's temperatures of days [<paramref name="from"/>, <paramref name="to"/>] (both inclusive), 96 values each, gaps NaN; days without any are left out.</summary>
    public async Task<IReadOnlyDictionary<DateOnly, double[]>> RangeAsync(string station, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        Dictionary<DateOnly, double[]> days = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {station} and RowKey ge {Row(from)} and RowKey le {Row(to)}");
        await foreach (TableEntity e in storage.Weather.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (DateOnly.TryParseExact(e.RowKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
            {
                days[day] = Decode(e).Temperatures;
            }
        }

        return days;
    }

    /// <summary>
    /// Places readings in their slots (several in one slot: the mean; an observation wins over a forecast), then fills
    /// short runs between readings of the day as <see cref="AreaLoadSeries.Interpolated"/> does. Filled slots take the
    /// kind of the readings around them (forecast if either side is one).
    /// </summary>
    static void Merge(IEnumerable<WeatherReading> readings, double[] temps, char[] kinds)
    {
        double[] sum = new double[96];
        int[] n = new int[96];
        bool[] observed = new bool[96];
        foreach (WeatherReading r in readings)
        {
            int slot = Domain.MeterData.ChinaTime.MinuteOfDay(r.Instant) / AreaLoadSeries.SlotMinutes;
            bool isObservation = r.Kind == WeatherKind.Observation;
            if (isObservation && !observed[slot])
            {
                (sum[slot], n[slot], observed[slot]) = (0, 0, true);
            }

            if (isObservation || !observed[slot])
            {
                sum[slot] += r.TemperatureC;
                n[slot]++;
            }
        }

        double[] incoming = [.. Enumerable.Range(0, 96).Select(s => n[s] == 0 ? double.NaN : Math.Round(sum[s] / n[s], 2))];
        char[] incomingKinds = [.. Enumerable.Range(0, 96).Select(s => n[s] == 0 ? '-' : observed[s] ? 'o' : 'f')];
        FillKinds(incomingKinds, AreaLoadSeries.MaxInterpolatedSlots);
        AreaLoadSeries.Interpolated(incoming, AreaLoadSeries.MaxInterpolatedSlots);
        for (int s = 0; s < 96; s++)
        {
            if (double.IsNaN(incoming[s]) || (kinds[s] == 'o' && incomingKinds[s] != 'o'))
            {
                continue;
            }

            temps[s] = incoming[s];
            kinds[s] = incomingKinds[s];
        }
    }

    static void FillKinds(char[] kinds, int maxRun)
    {
        int last = -1;
        for (int i = 0; i <= kinds.Length; i++)
        {
            if (i < kinds.Length && kinds[i] == '-')
            {
                continue;
            }

            int gap = i - last - 1;
            if (gap > 0 && gap <= maxRun)
            {
                char kind = (last >= 0 && kinds[last] == 'f') || (i < kinds.Length && kinds[i] == 'f') ? 'f' : 'o';
                Array.Fill(kinds, kind, last + 1, gap);
            }

            last = i;
        }
    }

    static (double[] Temperatures, char[] Kinds) Decode(TableEntity e)
    {
        double[] temps = ForecastStorage.Unpack(e.GetBinary("Temperatures")) ?? [.. Enumerable.Repeat(double.NaN, 96)];
        string kinds = e.GetString("Kinds") is { Length: 96 } k ? k : new string('-', 96);
        return (temps, kinds.ToCharArray());
    }

    static string Row(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
