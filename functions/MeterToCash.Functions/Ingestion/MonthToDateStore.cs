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
public sealed class MonthToDateStore(IngestionStorage storage)
{
    const int MaxAttempts = 10;

    public async Task<StoredMonthToDate?> GetAsync(MeterId meter, MeterChannel channel, int year, int month, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        NullableResponse<TableEntity> response = await storage.MonthToDate.GetEntityIfExistsAsync<TableEntity>(
            IngestionKeys.MonthToDatePartition(meter.Value), IngestionKeys.MonthToDateRow(channel, year, month), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!, meter, channel, year, month) : null;
    }

    /// <summary>Brings the month's totals up to date with the given stored curves (all of one meter, channel and month).</summary>
    public async Task ApplyAsync(MeterId meter, MeterChannel channel, int year, int month, IReadOnlyList<StoredCurve> curves, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        string pk = IngestionKeys.MonthToDatePartition(meter.Value), rk = IngestionKeys.MonthToDateRow(channel, year, month);
        List<DayContribution> incoming = curves.Select(c => Contribution(c, meter, channel, year, month)).ToList();
        for (int attempt = 1; ; attempt++)
        {
            NullableResponse<TableEntity> response = await storage.MonthToDate.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            Dictionary<DateOnly, DayContribution> days = response.HasValue
                ? FromEntity(response.Value!, meter, channel, year, month).Days.ToDictionary(d => d.Day)
                : [];
            bool changed = false;
            foreach (DayContribution day in incoming)
            {
                if (!days.TryGetValue(day.Day, out DayContribution? known) || (day.Revision > known.Revision && day != known))
                {
                    days[day.Day] = day;
                    changed = true;
                }
            }

            if (!changed)
            {
                return;
            }

            TableEntity entity = ToEntity(pk, rk, days.Values.OrderBy(d => d.Day).ToList());
            try
            {
                if (response.HasValue)
                {
                    await storage.MonthToDate.UpdateEntityAsync(entity, response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await storage.MonthToDate.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), cancellationToken);
            }
        }
    }

    static DayContribution Contribution(StoredCurve stored, MeterId meter, MeterChannel channel, int year, int month)
    {
        MonthToDate day = MonthToDateAccumulator.Apply(MonthToDate.Empty(meter, channel, year, month), null, stored.Curve, DefaultTouClassifier.Classify);
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
