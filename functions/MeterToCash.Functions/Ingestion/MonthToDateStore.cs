using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Ingestion;

/// <summary>
/// The band classifier used while no tariff schedule is wired to ingestion: Shanghai-style two-band residential
/// time-of-use, peak 06:00–22:00 and valley 22:00–06:00 China time, by slot start.
/// </summary>
public static class DefaultTouClassifier
{
    public const string Description = "peak 06:00-22:00, valley 22:00-06:00 (China time, by interval start)";

    public static TouBand Classify(DateTimeOffset slotStartUtc) =>
        ChinaTime.MinuteOfDay(slotStartUtc) is >= 6 * 60 and < 22 * 60 ? TouBand.Peak : TouBand.Valley;
}

/// <summary>One day's contribution to a month's totals, with the curve revision it was computed from.</summary>
public sealed record DayContribution(DateOnly Day, long Revision, TouEnergy Energy, TouEnergy Estimated);

/// <summary>Month-to-date energy per band of one (meter, channel, month), as stored.</summary>
public sealed record StoredMonthToDate(MonthToDate Totals, IReadOnlyList<DayContribution> Days);

/// <summary>
/// Month-to-date totals per TOU band. Each entity keeps every day's band totals (computed with
/// <see cref="MonthToDateAccumulator"/> from the stored curve) and the month sums billing reads. An update replaces a
/// day's contribution only with one from a later curve revision, so redeliveries add nothing, a late or concurrent
/// writer carrying an older curve cannot roll a day back, and a crash between the curve write and this one is repaired
/// by the next delivery of the same data (which re-derives the day from the stored curve).
/// </summary>
/// <remarks>
/// One area's month shares a partition (<see cref="IngestionKeys"/>), so a delivery of an area-day reads the totals it
/// touches with one range query per 100 meters and writes the changed ones in one entity-group transaction, instead of
/// a read-modify-write round-trip pair per meter.
/// </remarks>
public sealed class MonthToDateStore(IngestionStorage storage)
{
    const int MaxAttempts = 10, MaxTransaction = 100;

    /// <summary>A meter's month; the area is the meter's transformer area (from the <see cref="MeterDirectory"/>).</summary>
    public async Task<StoredMonthToDate?> GetAsync(string areaCode, MeterId meter, MeterChannel channel, int year, int month, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        NullableResponse<TableEntity> response = await storage.MonthToDate.GetEntityIfExistsAsync<TableEntity>(
            IngestionKeys.MonthToDatePartition(areaCode, year, month), IngestionKeys.MonthToDateRow(meter.Value, channel), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!, meter, channel, year, month) : null;
    }

    /// <summary>
    /// Brings the month totals of one area and month up to date with the given stored curves (any meters and channels of
    /// that area, days of that month). Rows are handled in groups of at most 100 (one transaction each); a group that
    /// loses a race (409/412) is re-read and re-merged, so concurrent deliveries lose nothing.
    /// </summary>
    public async Task ApplyAsync(string areaCode, int year, int month, IReadOnlyList<StoredCurve> curves, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        string pk = IngestionKeys.MonthToDatePartition(areaCode, year, month);
        List<RowUpdate> rows = curves
            .GroupBy(c => IngestionKeys.MonthToDateRow(c.Curve.Meter.Value, c.Curve.Channel), StringComparer.Ordinal)
            .Select(g => new RowUpdate(g.Key, g.First().Curve.Meter, g.First().Curve.Channel,
                g.Select(c => Contribution(c, year, month)).ToList()))
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .ToList();
        await Parallel.ForEachAsync(rows.Chunk(MaxTransaction), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (chunk, ct) => await ApplyChunkAsync(pk, year, month, chunk, ct));
    }

    async Task ApplyChunkAsync(string pk, int year, int month, RowUpdate[] chunk, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            Dictionary<string, TableEntity> stored = await ReadRowsAsync(pk, chunk, cancellationToken);
            List<TableTransactionAction> actions = [];
            foreach (RowUpdate row in chunk)
            {
                TableEntity? existing = stored.GetValueOrDefault(row.RowKey);
                Dictionary<DateOnly, DayContribution> days = existing is not null
                    ? FromEntity(existing, row.Meter, row.Channel, year, month).Days.ToDictionary(d => d.Day)
                    : [];
                bool changed = false;
                foreach (DayContribution day in row.Incoming)
                {
                    if (!days.TryGetValue(day.Day, out DayContribution? known) || (day.Revision > known.Revision && day != known))
                    {
                        days[day.Day] = day;
                        changed = true;
                    }
                }

                if (!changed)
                {
                    // Nothing new (e.g. a redelivery): not written, so its ETag stays as it was.
                    continue;
                }

                TableEntity entity = ToEntity(pk, row.RowKey, days.Values.OrderBy(d => d.Day).ToList());
                actions.Add(existing is not null
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, existing.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            if (actions.Count == 0)
            {
                return;
            }

            try
            {
                await storage.MonthToDate.SubmitTransactionAsync(actions, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another delivery changed one of these rows since we read it: re-read the group and merge again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// The stored rows of a sorted group: a point read for a single row, otherwise one range query over the group's
    /// first..last RowKey (an area-day delivery covers most of that range, so little is read that is not needed).
    /// </summary>
    async Task<Dictionary<string, TableEntity>> ReadRowsAsync(string pk, RowUpdate[] chunk, CancellationToken cancellationToken)
    {
        Dictionary<string, TableEntity> found = new(StringComparer.Ordinal);
        if (chunk.Length == 1)
        {
            NullableResponse<TableEntity> response = await storage.MonthToDate.GetEntityIfExistsAsync<TableEntity>(pk, chunk[0].RowKey, cancellationToken: cancellationToken);
            if (response.HasValue)
            {
                found[chunk[0].RowKey] = response.Value!;
            }

            return found;
        }

        HashSet<string> wanted = new(chunk.Select(r => r.RowKey), StringComparer.Ordinal);
        string first = chunk[0].RowKey, last = chunk[^1].RowKey;
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {first} and RowKey le {last}");
        await foreach (TableEntity e in storage.MonthToDate.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (wanted.Contains(e.RowKey))
            {
                found[e.RowKey] = e;
            }
        }

        return found;
    }

    sealed record RowUpdate(string RowKey, MeterId Meter, MeterChannel Channel, List<DayContribution> Incoming);

    static DayContribution Contribution(StoredCurve stored, int year, int month)
    {
        MonthToDate day = MonthToDateAccumulator.Apply(MonthToDate.Empty(stored.Curve.Meter, stored.Curve.Channel, year, month), null, stored.Curve, DefaultTouClassifier.Classify);
        return new DayContribution(stored.Curve.Day, stored.Revision, day.Energy, day.EstimatedEnergy);
    }

    static TableEntity ToEntity(string pk, string rk, IReadOnlyList<DayContribution> days)
    {
        TouEnergy energy = default, estimated = default;
        foreach (DayContribution d in days)
        {
            energy = Sum(energy, d.Energy);
            estimated = Sum(estimated, d.Estimated);
        }

        // Decimals as invariant strings: Azure Tables has no decimal type and a double would not add up exactly.
        return new TableEntity(pk, rk)
        {
            ["Days"] = JsonSerializer.Serialize(days.Select(DayDto.From).ToList()),
            ["CriticalPeak"] = Text(energy.CriticalPeak),
            ["Peak"] = Text(energy.Peak),
            ["Flat"] = Text(energy.Flat),
            ["Valley"] = Text(energy.Valley),
            ["EstimatedCriticalPeak"] = Text(estimated.CriticalPeak),
            ["EstimatedPeak"] = Text(estimated.Peak),
            ["EstimatedFlat"] = Text(estimated.Flat),
            ["EstimatedValley"] = Text(estimated.Valley),
        };
    }

    static StoredMonthToDate FromEntity(TableEntity e, MeterId meter, MeterChannel channel, int year, int month)
    {
        List<DayDto> days = JsonSerializer.Deserialize<List<DayDto>>(e.GetString("Days") ?? "[]") ?? [];
        TouEnergy energy = new(Number(e, "CriticalPeak"), Number(e, "Peak"), Number(e, "Flat"), Number(e, "Valley"));
        TouEnergy estimated = new(Number(e, "EstimatedCriticalPeak"), Number(e, "EstimatedPeak"), Number(e, "EstimatedFlat"), Number(e, "EstimatedValley"));
        return new StoredMonthToDate(new MonthToDate(meter, channel, year, month, energy, estimated), days.Select(d => d.ToDomain()).ToList());
    }

    static TouEnergy Sum(TouEnergy a, TouEnergy b) =>
        new(a.CriticalPeak + b.CriticalPeak, a.Peak + b.Peak, a.Flat + b.Flat, a.Valley + b.Valley);

    static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    static decimal Number(TableEntity e, string name) =>
        decimal.TryParse(e.GetString(name), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal value) ? value : 0m;

    sealed record DayDto(string Day, long Revision, decimal[] Energy, decimal[] Estimated)
    {
        public static DayDto From(DayContribution d) => new(
            d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Revision, Bands(d.Energy), Bands(d.Estimated));

        public DayContribution ToDomain() => new(
            DateOnly.ParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), Revision, ToEnergy(Energy), ToEnergy(Estimated));

        static decimal[] Bands(TouEnergy e) => [e.CriticalPeak, e.Peak, e.Flat, e.Valley];

        static TouEnergy ToEnergy(decimal[] b) => b.Length == 4 ? new TouEnergy(b[0], b[1], b[2], b[3]) : default;
    }
}
