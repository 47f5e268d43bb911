using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Simulator;

namespace MeterToCash.Tools;

/// <summary>An archive meter the month seed sends readings for.</summary>
/// <param name="MeterNo">Meter number.</param>
/// <param name="Area">Transformer area of its service point.</param>
/// <param name="CustomerClass">Archive class of the customer (Residential, Commercial, LargeIndustrial, …).</param>
/// <param name="Multiplier">CT × PT: values sent are meter-side, the pipeline multiplies by it.</param>
/// <param name="Registers">The archive's register flags (names of <c>MeterRegisters</c>).</param>
/// <param name="InstallDate">China-local install date.</param>
/// <param name="SupplyVoltageKv">Supply voltage of its service point (≤ 1 kV: behind the area's transformer, seen by its master meter).</param>
public sealed record SeedMeter(string MeterNo, string Area, string? CustomerClass, int Multiplier, IReadOnlySet<string> Registers, DateOnly InstallDate, decimal SupplyVoltageKv = 0.22m);

/// <summary>The fault a meter gets in a seeded month.</summary>
public enum SeedFault
{
    None,

    /// <summary>A few consecutive slots of one day are not sent (left for VEE to estimate); registers are complete.</summary>
    ShortGap,

    /// <summary>A whole day of intervals is not sent, nor the register reads at its two midnights.</summary>
    MissingDay,

    /// <summary>A few slots are sent with quality estimated (CIM 3.8.0) by the head-end; the values are right.</summary>
    EstimatedSlots,
}

/// <summary>What a seeded month sent, and what the pipeline answered in total.</summary>
public sealed record MonthSeedResult(int Documents, int Meters, int Intervals, int Registers, int Accepted, int Duplicate, int Suspect, int Estimated, int Quarantined, IReadOnlyDictionary<string, SeedFault> Faults);

/// <summary>
/// Seeds one calendar month (China local) of meter data through the real pipeline (<c>POST /api/meter-readings</c>) for
/// every meter of some areas, so a newcomer can bill at once. Per area and day one document: that day's 15-minute
/// active-import curve of every meter (the simulator's class load profiles, <see cref="CurveGenerator"/>) and the daily
/// frozen register reads at the China-local midnight that ends the day (and, on the month's first day, the one that
/// starts it), so the month's documents hold the reads at every midnight from the 1st through the 1st of the next month.
/// </summary>
/// <remarks>
/// Registers agree with the curves: a meter's registers count from <see cref="Epoch"/> (or its install date if later)
/// from a base of its own, adding every slot's meter-side value, so register advance × CT×PT = the interval sum of any
/// span, and a month seeded later continues the one seeded before (the shared midnight read has the same value).
/// Band registers add each slot to the band of the time-of-use sample whose bands the meter records (critical peak →
/// the large-industrial sample, flat → the commercial one, peak/valley only → the residential one), banded on the shipped
/// holiday calendar; a slot in a band the meter does not record only goes to the total. Reactive import, where recorded,
/// is the total times the class's tan φ. Everything is deterministic in (seed, meter, instant), so a second run sends
/// byte-identical documents and the pipeline answers every item as a duplicate.
/// Faults (deterministic in the seed): about 4 % of meters a short gap, about 4 % a few estimated slots, and the first
/// meter (by number) of the first area a missing day with its two midnight reads.
/// </remarks>
public sealed class MonthSeed(HttpClient client, int seed = 20261126, int metersPerDocument = MonthSeed.DefaultMetersPerDocument)
{
    /// <summary>Registers count from this China-local day (or from the install date when later).</summary>
    public static readonly DateOnly Epoch = new(2025, 1, 1);

    /// <summary>Integer digits of the seeded register displays.</summary>
    public const int MeterDigits = 8;

    /// <summary>Documents in flight at once.</summary>
    public const int Parallelism = 4;

    /// <summary>
    /// Meters per document unless the constructor says otherwise: an area-day of more is sent as several documents, so
    /// each stays well under the push limit (<c>Ingestion__MaxPushBytes</c>, 4 MiB), however many customers an area holds.
    /// </summary>
    public const int DefaultMetersPerDocument = 100;

    const int SlotsPerDay = 96;

    static readonly Lazy<Tariff> Industrial = new(() => Sample("large-industrial-two-part"));
    static readonly Lazy<Tariff> Commercial = new(() => Sample("commercial-tou"));
    static readonly Lazy<Tariff> Residential = new(() => Sample("shanghai-residential-tou"));
    static readonly ConcurrentDictionary<(string, DateOnly), RegisterBand[]> Bandings = new();
    static readonly ConcurrentDictionary<int, HolidayCalendar?> Calendars = new();

    /// <summary>The previous calendar month of China-local today.</summary>
    public static DateOnly PreviousMonth(DateTimeOffset now)
    {
        DateOnly today = ChinaTime.LocalDay(now);
        return new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
    }

    /// <summary>Every in-service meter of the areas, read through the archive API, ordered by area then number.</summary>
    public async Task<IReadOnlyList<SeedMeter>> MetersAsync(IEnumerable<string> areas, CancellationToken cancellationToken = default)
    {
        List<SeedMeter> meters = [];
        foreach (string area in areas)
        {
            string? token = null;
            List<SeedMeter> inArea = [];
            do
            {
                string query = $"api/customers?area={Uri.EscapeDataString(area)}&pageSize=1000" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
                using JsonDocument page = JsonDocument.Parse(await client.GetStringAsync(query, cancellationToken));
                foreach (JsonElement customer in page.RootElement.GetProperty("items").EnumerateArray())
                {
                    string? cls = customer.TryGetProperty("class", out JsonElement k) ? k.GetString() : null;
                    foreach (JsonElement point in customer.GetProperty("servicePoints").EnumerateArray().Where(p => p.GetProperty("areaCode").GetString() == area))
                    {
                        foreach (JsonElement meter in point.GetProperty("meters").EnumerateArray())
                        {
                            if (meter.TryGetProperty("removalDate", out JsonElement removal) && removal.ValueKind == JsonValueKind.String)
                            {
                                continue;
                            }

                            int ct = meter.TryGetProperty("ctRatio", out JsonElement c) ? c.GetInt32() : 1;
                            int pt = meter.TryGetProperty("ptRatio", out JsonElement p) ? p.GetInt32() : 1;
                            HashSet<string> registers = meter.TryGetProperty("registers", out JsonElement r)
                                ? [.. r.EnumerateArray().Select(x => x.GetString()!)]
                                : ["ActiveImportTotal"];
                            DateOnly install = DateOnly.ParseExact(meter.GetProperty("installDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                            decimal kv = point.TryGetProperty("supplyVoltageKv", out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : 0.22m;
                            inArea.Add(new SeedMeter(meter.GetProperty("meterNo").GetString()!, area, cls, ct * pt, registers, install, kv));
                        }
                    }
                }

                token = page.RootElement.TryGetProperty("continuationToken", out JsonElement next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (token is not null);
            meters.AddRange(inArea.OrderBy(m => m.MeterNo, StringComparer.Ordinal));
        }

        return meters;
    }

    /// <summary>The fault of each meter in a month (see the class remarks).</summary>
    public IReadOnlyDictionary<string, SeedFault> Faults(IReadOnlyList<SeedMeter> meters, DateOnly month)
    {
        Dictionary<string, SeedFault> faults = new(StringComparer.Ordinal);
        string? missingDay = meters.Where(m => m.Area == meters[0].Area).Select(m => m.MeterNo).Order(StringComparer.Ordinal).FirstOrDefault();
        foreach (SeedMeter m in meters)
        {
            double roll = DeterministicRandom.Uniform(seed, "fault:" + m.MeterNo, month.DayNumber);
            faults[m.MeterNo] = m.MeterNo == missingDay ? SeedFault.MissingDay : roll < 0.04 ? SeedFault.ShortGap : roll < 0.08 ? SeedFault.EstimatedSlots : SeedFault.None;
        }

        return faults;
    }

    // Line loss (AreaSupply): the areas' master meters and planted theft; null until SeedAsync reads the network.
    AreaSupply? supply;

    /// <summary>Sends the month (first day of it given) for the meters of <paramref name="areas"/>; progress lines go to <paramref name="log"/>.</summary>
    /// <remarks>
    /// Areas whose archive record names a master meter also get its 15-minute curve in each area-day document
    /// (<see cref="AreaSupply"/>: the low-voltage customers' true energy plus a technical loss); with
    /// <paramref name="theft"/>, the tampered meters' curves and registers show only part of their energy from its first day.
    /// </remarks>
    /// <exception cref="HttpRequestException">The pipeline refused a document.</exception>
    public async Task<MonthSeedResult> SeedAsync(DateOnly month, IReadOnlyList<string> areas, TextWriter? log = null, CancellationToken cancellationToken = default, TheftPlan? theft = null)
    {
        month = new DateOnly(month.Year, month.Month, 1);
        if (month < Epoch)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, $"Months before {Epoch:yyyy-MM} are not seeded (registers count from then).");
        }

        IReadOnlyList<SeedMeter> meters = await MetersAsync(areas, cancellationToken);
        if (meters.Count == 0)
        {
            return new MonthSeedResult(0, 0, 0, 0, 0, 0, 0, 0, 0, new Dictionary<string, SeedFault>());
        }

        IReadOnlyDictionary<string, SeedFault> faults = Faults(meters, month);
        supply = new AreaSupply([.. meters.Select(m => new SupplyMeter(Simulated(m), m.Area, MeterToCash.Domain.Archive.ServicePoint.IsLowVoltage(m.SupplyVoltageKv)))], await AreaSupply.MasterCtRatiosAsync(client, new Uri("api/network/tree", UriKind.Relative), cancellationToken), seed, theft);
        int days = month.AddMonths(1).DayNumber - month.DayNumber;
        // Register values at each midnight of the month: [meter][day 0..days], day index d = midnight starting month + d.
        Dictionary<string, MidnightRegisters[]> registers = meters.AsParallel().ToDictionary(m => m.MeterNo, m => Registers(m, month, days), StringComparer.Ordinal);

        // One document per area, day and run of up to metersPerDocument meters; the area's master meter goes with the first.
        List<(string Area, DateOnly Day, int Part, SeedMeter[] Meters)> documents = [.. areas.SelectMany(a =>
            meters.Where(m => m.Area == a).Chunk(metersPerDocument).Select((part, index) => (Part: index, Meters: part))
                .SelectMany(part => Enumerable.Range(0, days).Select(d => (a, month.AddDays(d), part.Part, part.Meters))))];
        int intervals = 0, registerReads = 0, accepted = 0, duplicate = 0, suspect = 0, estimated = 0, quarantined = 0;
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (doc, ct) =>
        {
            List<IntervalReading> curve = [];
            List<RegisterReading> reads = [];
            foreach (SeedMeter m in doc.Meters)
            {
                (List<IntervalReading> c, List<RegisterReading> r) = Day(m, faults[m.MeterNo], month, doc.Day, registers[m.MeterNo]);
                curve.AddRange(c);
                reads.AddRange(r);
            }

            if (curve.Count > 0 && doc.Part == 0)
            {
                DateTimeOffset dayStart = ChinaTime.DayStart(doc.Day);
                curve.AddRange(Enumerable.Range(0, SlotsPerDay).Select(i => supply.Master(doc.Area, dayStart.AddMinutes(15 * i))).OfType<IntervalReading>());
            }

            if (curve.Count == 0 && reads.Count == 0)
            {
                return;
            }

            using ByteArrayContent content = new(MeterReadingsJsonWriter.Write(curve, reads, []));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await client.PostAsync("api/meter-readings", content, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"POST meter-readings ({doc.Area} {doc.Day:yyyy-MM-dd}, meters {doc.Meters[0].MeterNo}–{doc.Meters[^1].MeterNo}): {(int)response.StatusCode} {body}", null, response.StatusCode);
            }

            JsonElement counts = JsonDocument.Parse(body).RootElement.GetProperty("counts");
            Interlocked.Add(ref intervals, curve.Count);
            Interlocked.Add(ref registerReads, reads.Count);
            Interlocked.Add(ref accepted, counts.GetProperty("accepted").GetInt32());
            Interlocked.Add(ref duplicate, counts.GetProperty("duplicate").GetInt32());
            Interlocked.Add(ref suspect, counts.GetProperty("suspect").GetInt32());
            Interlocked.Add(ref estimated, counts.GetProperty("estimated").GetInt32());
            Interlocked.Add(ref quarantined, counts.GetProperty("quarantined").GetInt32());
            log?.WriteLine($"{doc.Area} {doc.Day:yyyy-MM-dd}: {curve.Count} intervals, {reads.Count} register reads → {body.Length} bytes answered");
        });

        return new MonthSeedResult(documents.Count, meters.Count, intervals, registerReads, accepted, duplicate, suspect, estimated, quarantined, faults);
    }

    /// <summary>The register value of one meter at a China-local midnight: total, per band, reactive (meter-side, kWh/kvarh).</summary>
    public sealed record MidnightRegisters(decimal Total, IReadOnlyDictionary<RegisterBand, decimal> Bands, decimal Reactive);

    /// <summary>The meter as the simulator's load profile sees it.</summary>
    public static SimulatedMeter Simulated(SeedMeter m) => SimulatedMeter.Typical(m.MeterNo, SimulatedMeter.ClassOf(m.CustomerClass), m.Multiplier);

    /// <summary>Register values at each midnight from <paramref name="month"/> through <paramref name="days"/> days later (inclusive), counted from the epoch.</summary>
    public MidnightRegisters[] Registers(SeedMeter m, DateOnly month, int days)
    {
        SimulatedMeter sim = Simulated(m);
        string? bandTariff = BandTariff(m.Registers);
        RegisterBand[] recorded = [.. new[] { RegisterBand.CriticalPeak, RegisterBand.Peak, RegisterBand.Flat, RegisterBand.Valley }.Where(b => m.Registers.Contains(RegisterFlag(b)))];
        decimal total = Math.Floor((decimal)(DeterministicRandom.Uniform(seed, "base:" + m.MeterNo, 0) * 5000));
        Dictionary<RegisterBand, decimal> bands = recorded.ToDictionary(b => b, b => Math.Floor(total / Math.Max(recorded.Length, 1)));
        double tanPhi = sim.Class switch { CustomerClass.Residential => 0.2, CustomerClass.Commercial => 0.35, _ => 0.45 };
        MidnightRegisters Snapshot() => new(total, new Dictionary<RegisterBand, decimal>(bands), decimal.Round(total * (decimal)tanPhi, 3, MidpointRounding.AwayFromZero));

        MidnightRegisters[] result = new MidnightRegisters[days + 1];
        DateOnly start = m.InstallDate > Epoch ? m.InstallDate : Epoch;
        DateOnly end = month.AddDays(days);
        for (DateOnly day = start; day < end; day = day.AddDays(1))
        {
            if (day >= month)
            {
                result[day.DayNumber - month.DayNumber] = Snapshot();
            }

            RegisterBand[]? banding = bandTariff is null ? null : BandsOf(bandTariff, day);
            IntervalReading[] curve = Metered(sim, day);
            for (int i = 0; i < curve.Length; i++)
            {
                total += curve[i].Value;
                if (banding is not null && bands.ContainsKey(banding[i]))
                {
                    bands[banding[i]] += curve[i].Value;
                }
            }
        }

        for (int d = 0; d <= days; d++)
        {
            // A meter installed after a midnight has nothing to read there yet.
            result[d] ??= month.AddDays(d) >= start ? Snapshot() : null!;
        }

        return result;
    }

    (List<IntervalReading> Curve, List<RegisterReading> Reads) Day(SeedMeter m, SeedFault fault, DateOnly month, DateOnly day, MidnightRegisters[] registers)
    {
        List<IntervalReading> curve = [];
        List<RegisterReading> reads = [];
        if (day < m.InstallDate)
        {
            return (curve, reads);
        }

        int dayIndex = day.DayNumber - month.DayNumber;
        int days = registers.Length - 1;
        // The fault's day and slots, drawn per meter and month (never the first day). A missing day is the month's last, so
        // the midnight that ends the month is missing too: that meter's bill falls back to its curves, finds the day
        // missing and is held for review, which the demo wants to show.
        int faultDay = fault == SeedFault.MissingDay ? days - 1 : 1 + (int)(DeterministicRandom.Uniform(seed, "fault-day:" + m.MeterNo, month.DayNumber) * (days - 2));
        int faultSlot = (int)(DeterministicRandom.Uniform(seed, "fault-slot:" + m.MeterNo, month.DayNumber) * (SlotsPerDay - 4));
        bool dayMissing = fault == SeedFault.MissingDay && dayIndex == faultDay;
        if (!dayMissing)
        {
            IntervalReading[] full = Metered(Simulated(m), day);
            for (int i = 0; i < full.Length; i++)
            {
                bool inFault = dayIndex == faultDay && i >= faultSlot && i < faultSlot + 3;
                if (inFault && fault == SeedFault.ShortGap)
                {
                    continue;
                }

                curve.Add(inFault && fault == SeedFault.EstimatedSlots ? full[i] with { Quality = ReadingQuality.Estimated } : full[i]);
            }
        }

        // Midnight reads: the one ending this day, and on the first day also the one starting it; the missing day loses both.
        IEnumerable<int> midnights = dayIndex == 0 ? [0, 1] : [dayIndex + 1];
        foreach (int d in midnights)
        {
            if (fault == SeedFault.MissingDay && (d == faultDay || d == faultDay + 1) || registers[d] is not { } at)
            {
                continue;
            }

            DateTimeOffset readAt = ChinaTime.DayStart(month.AddDays(d));
            if (m.Registers.Contains("ActiveImportTotal"))
            {
                reads.Add(Read(m, MeterChannel.ActiveImport, RegisterBand.Total, readAt, at.Total));
            }

            foreach ((RegisterBand band, decimal value) in at.Bands.OrderBy(b => b.Key))
            {
                reads.Add(Read(m, MeterChannel.ActiveImport, band, readAt, value));
            }

            if (m.Registers.Contains("ReactiveImport"))
            {
                reads.Add(Read(m, MeterChannel.ReactiveImport, RegisterBand.Total, readAt, at.Reactive));
            }
        }

        return (curve, reads);
    }

    /// <summary>A meter's day as it registers it: the load profile, less what planted theft takes.</summary>
    IntervalReading[] Metered(SimulatedMeter sim, DateOnly day)
    {
        IntervalReading[] curve = CurveGenerator.Day(sim, day, seed);
        return supply is null ? curve : [.. curve.Select(supply.Registered)];
    }

    static RegisterReading Read(SeedMeter m, MeterChannel channel, RegisterBand band, DateTimeOffset at, decimal value) =>
        new(new MeterId(m.MeterNo), channel, band, at, value % 100_000_000m, MeterChannels.UnitOf(channel), ReadingQuality.Valid, MeterDigits);

    static string RegisterFlag(RegisterBand band) => band switch
    {
        RegisterBand.CriticalPeak => "ActiveImportCriticalPeak",
        RegisterBand.Peak => "ActiveImportPeak",
        RegisterBand.Flat => "ActiveImportFlat",
        _ => "ActiveImportValley",
    };

    static string? BandTariff(IReadOnlySet<string> registers) =>
        registers.Contains("ActiveImportCriticalPeak") ? "industrial"
        : registers.Contains("ActiveImportFlat") ? "commercial"
        : registers.Contains("ActiveImportPeak") || registers.Contains("ActiveImportValley") ? "residential"
        : null;

    static RegisterBand[] BandsOf(string which, DateOnly day) => Bandings.GetOrAdd((which, day), key =>
    {
        Tariff tariff = key.Item1 switch { "industrial" => Industrial.Value, "commercial" => Commercial.Value, _ => Residential.Value };
        HolidayCalendar? calendar = Calendars.GetOrAdd(key.Item2.Year, y => HolidayCalendarJson.ShippedYears.Contains(y) ? HolidayCalendarJson.LoadShipped(y) : null);
        DayBanding? banding = DayBanding.For(tariff, key.Item2, calendar);
        DateTimeOffset start = ChinaTime.DayStart(key.Item2);
        return [.. Enumerable.Range(0, SlotsPerDay).Select(i => banding?.BandOf(start.AddMinutes(15 * i)) switch
        {
            TouBand.CriticalPeak => RegisterBand.CriticalPeak,
            TouBand.Peak => RegisterBand.Peak,
            TouBand.Valley => RegisterBand.Valley,
            _ => RegisterBand.Flat,
        })];
    });

    static Tariff Sample(string name) =>
        TariffJson.LoadSample(name).Tariff ?? throw new InvalidOperationException($"The sample tariff '{name}' does not load.");
}
