using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Billing;

/// <summary>
/// Builds the bill determinants of one account and period from validated meter data. Pure: everything comes in through
/// <see cref="BillingInput"/>. Missing or inconsistent data never becomes a zero: it holds the bill with a reason.
/// </summary>
/// <remarks>
/// <para><b>Spans.</b> Each meter counts from max(period start, install date) inclusive to min(period end, removal date)
/// exclusive. A meter exchange thus counts the old meter up to its removal and the new one from its install. A service
/// point has one meter at a time; two meters of one point in service on the same day hold the bill.</para>
/// <para><b>Active energy.</b> From the midnight frozen register reads (China-local 00:00 of the span's first day and of its
/// end day) when both are present for the total register and, when bands are wanted, for each band register the meter
/// records: energy = (end − start) × CT × PT, with <see cref="RegisterMath.Delta"/> for a rollover (plausible up to the
/// contracted kVA × span hours, meter side ÷ CT × PT). Otherwise the sum of the stored active-import curves of every day
/// of the span (primary side), banded with the day classifier. A missing day or an empty slot holds the bill.</para>
/// <para><b>Band check.</b> With band registers, |Σ bands − total| must not exceed
/// <see cref="BillDeterminants.BandSumToleranceKwh"/> × CT × PT (the register tolerance scaled to the primary side).</para>
/// <para><b>Rounding.</b> Done once per meter: its total (or, with bands, each band) and its kvarh are rounded half away from
/// zero to 0.01; with bands the meter's kWh is the sum of its rounded bands, so the bill's bands always add up to its
/// total. Bill values are sums of the meters' rounded values. Maximum demand is not rounded (slot kWh × 4, at most
/// 4 decimals).</para>
/// <para><b>Maximum demand.</b> The largest 15-minute active-import interval × 4 kW (30- and 60-minute slots count as
/// their average demand over each 15 minutes they cover). Meters are added per interval start, which over one service point
/// (one meter at a time) is the maximum over its meters, and over several points the coincident demand. Null when the
/// active curves of some span are incomplete.</para>
/// <para><b>Reactive energy.</b> For meters recording reactive import: register reads when both are present, else the
/// reactive curves, else a hold. Null on the bill when a meter in service records no reactive import.</para>
/// </remarks>
public static class DeterminantsBuilder
{
    private const int DemandSlotMinutes = 15;

    private static readonly (MeterRegisters Flag, RegisterBand Register, TouBand Band)[] BandRegisters =
    [
        (MeterRegisters.ActiveImportCriticalPeak, RegisterBand.CriticalPeak, TouBand.CriticalPeak),
        (MeterRegisters.ActiveImportPeak, RegisterBand.Peak, TouBand.Peak),
        (MeterRegisters.ActiveImportFlat, RegisterBand.Flat, TouBand.Flat),
        (MeterRegisters.ActiveImportValley, RegisterBand.Valley, TouBand.Valley),
    ];

    /// <summary>Builds the determinants of <paramref name="input"/>, or holds them with every reason found.</summary>
    public static DeterminantsResult Build(BillingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var holds = new List<HoldReason>();
        var sources = new List<MeterSource>();
        var demand = new Dictionary<DateTimeOffset, (decimal Kw, bool Estimated)>();
        var dataOf = input.MeterData.ToDictionary(d => d.Meter);
        BillingPeriod period = input.Period;
        bool anyInService = false, demandComplete = true, reactiveForAll = true;
        EstimatedValues estimated = EstimatedValues.None;

        foreach (ServicePoint point in input.ServicePoints)
        {
            var spans = new List<(Meter Meter, DateOnly Start, DateOnly End)>();
            foreach (Meter meter in point.Meters)
            {
                DateOnly start = meter.InstallDate > period.Start ? meter.InstallDate : period.Start;
                DateOnly end = meter.RemovalDate is DateOnly removal && removal < period.End ? removal : period.End;
                if (start < end)
                {
                    spans.Add((meter, start, end));
                }
            }

            spans.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (int i = 1; i < spans.Count; i++)
            {
                if (spans[i].Start < spans[i - 1].End)
                {
                    holds.Add(new HoldReason(HoldCode.OverlappingMeters, $"service point {point.Id}: meters {spans[i - 1].Meter.MeterNo} and {spans[i].Meter.MeterNo} are both in service on {spans[i].Start:yyyy-MM-dd}"));
                }
            }

            foreach ((Meter meter, DateOnly start, DateOnly end) in spans)
            {
                anyInService = true;
                dataOf.TryGetValue(meter.MeterNo, out MeterBillingData? data);
                var span = new Span(point, meter, start, end, data);
                MeterSource? source = Measure(input, span, holds, ref estimated);
                if (source is null)
                {
                    continue;
                }

                sources.Add(source);
                reactiveForAll &= source.Kvarh is not null;
                demandComplete &= AddDemand(span, demand);
            }
        }

        if (!anyInService)
        {
            holds.Add(new HoldReason(HoldCode.NoMeterInService, $"no meter of the account is in service in {period}"));
        }

        if (holds.Count > 0)
        {
            return DeterminantsResult.Held(holds, sources);
        }

        decimal? maximumDemand = null;
        if (demandComplete && demand.Count > 0)
        {
            (decimal Kw, bool Estimated) max = demand.Values.MaxBy(v => v.Kw);
            maximumDemand = max.Kw;
            if (max.Estimated)
            {
                estimated |= EstimatedValues.MaximumDemand;
            }
        }

        decimal kwh = 0m, exactKwh = 0m, estimatedKwh = 0m, kvarh = 0m;
        BandEnergy bands = default;
        foreach (MeterSource s in sources)
        {
            kwh += s.Kwh;
            exactKwh += s.ExactKwh;
            estimatedKwh += s.EstimatedKwh;
            kvarh += s.Kvarh ?? 0m;
            if (s.Bands is BandEnergy b)
            {
                bands = new BandEnergy(bands.CriticalPeak + b.CriticalPeak, bands.Peak + b.Peak, bands.Flat + b.Flat, bands.Valley + b.Valley);
            }
        }

        var determinants = new BillDeterminants
        {
            Period = period,
            TotalKwh = kwh,
            Bands = input.TimeOfUse ? bands : null,
            ReactiveKvarh = reactiveForAll ? kvarh : null,
            MaximumDemandKw = maximumDemand,
            TransformerKva = input.TransformerKva,
            YearToDateKwh = input.YearToDateKwh,
            Estimated = estimated,
        };
        decimal share = exactKwh > 0m ? decimal.Round(estimatedKwh / exactKwh, 4, MidpointRounding.AwayFromZero) : 0m;
        return DeterminantsResult.Ready(determinants, sources, Math.Min(share, 1m));
    }

    private sealed record Span(ServicePoint Point, Meter Meter, DateOnly Start, DateOnly End, MeterBillingData? Data)
    {
        public int Days => End.DayNumber - Start.DayNumber;

        public string Label => $"meter {Meter.MeterNo} ({Start:yyyy-MM-dd} to {End:yyyy-MM-dd} exclusive)";

        public IReadOnlyList<RegisterReading> Reads => Data?.RegisterReads ?? [];

        public DayCurve? CurveOf(MeterChannel channel, DateOnly day)
        {
            if (Data is null)
            {
                return null;
            }

            foreach (DayCurve c in Data.Curves)
            {
                if (c.Channel == channel && c.Day == day && c.Meter == Meter.MeterNo)
                {
                    return c;
                }
            }

            return null;
        }
    }

    private static MeterSource? Measure(BillingInput input, Span span, List<HoldReason> holds, ref EstimatedValues estimated)
    {
        decimal multiplier = span.Meter.Multiplier;
        var readsUsed = new List<RegisterReading>();
        var curveDays = new SortedSet<DateOnly>();
        decimal exactKwh, estimatedKwh;
        BandEnergy? exactBands = null;
        EnergySource activeSource;

        RegisterOutcome registers = TryRegisters(input, span, readsUsed, out decimal[] registerEnergy, out bool activeEstimated);
        if (registers == RegisterOutcome.Rollback)
        {
            holds.Add(new HoldReason(HoldCode.RegisterRollback, $"{span.Label}: an active-import register went backwards between the boundary reads"));
            return null;
        }

        if (registers == RegisterOutcome.Used)
        {
            activeSource = EnergySource.Registers;
            exactKwh = registerEnergy[0] * multiplier;
            if (input.TimeOfUse)
            {
                exactBands = new BandEnergy(registerEnergy[1] * multiplier, registerEnergy[2] * multiplier, registerEnergy[3] * multiplier, registerEnergy[4] * multiplier);
                decimal tolerance = BillDeterminants.BandSumToleranceKwh * multiplier;
                decimal gap = Math.Abs(exactBands.Value.Total - exactKwh);
                if (gap > tolerance)
                {
                    holds.Add(new HoldReason(HoldCode.BandSumMismatch, $"{span.Label}: the band registers add up to {exactBands.Value.Total} kWh but the total register to {exactKwh} kWh (tolerance {tolerance} kWh = {BillDeterminants.BandSumToleranceKwh} × CT×PT {multiplier})"));
                    return null;
                }
            }

            estimatedKwh = activeEstimated ? exactKwh : 0m;
        }
        else
        {
            readsUsed.Clear();
            string? incomplete = Incomplete(span, MeterChannel.ActiveImport);
            if (incomplete is not null)
            {
                holds.Add(new HoldReason(HoldCode.MissingBoundaryReadsAndIncompleteCurves, $"{span.Label}: the boundary register reads are incomplete and {incomplete}"));
                return null;
            }

            Func<DateOnly, Func<DateTimeOffset, TouBand>>? classifier = input.DayClassifier;
            if (input.TimeOfUse && classifier is null)
            {
                holds.Add(new HoldReason(HoldCode.NoDayClassifier, $"{span.Label}: energy per band must come from the curves, but no day classifier was given"));
                return null;
            }

            activeSource = EnergySource.Intervals;
            Span<decimal> perBand = stackalloc decimal[4];
            exactKwh = 0m;
            estimatedKwh = 0m;
            for (DateOnly day = span.Start; day < span.End; day = day.AddDays(1))
            {
                DayCurve curve = span.CurveOf(MeterChannel.ActiveImport, day)!;
                Func<DateTimeOffset, TouBand>? bandOf = input.TimeOfUse ? classifier!(day) : null;
                curveDays.Add(day);
                ReadOnlySpan<CurveSlot> slots = curve.Slots;
                for (int i = 0; i < slots.Length; i++)
                {
                    decimal value = slots[i].Value;
                    exactKwh += value;
                    if (slots[i].Quality == ReadingQuality.Estimated)
                    {
                        estimatedKwh += value;
                        activeEstimated = true;
                    }

                    if (bandOf is not null)
                    {
                        perBand[(int)bandOf(curve.SlotStart(i))] += value;
                    }
                }
            }

            if (input.TimeOfUse)
            {
                exactBands = new BandEnergy(perBand[0], perBand[1], perBand[2], perBand[3]);
            }
        }

        if (activeEstimated)
        {
            estimated |= EstimatedValues.ActiveEnergy;
        }

        EnergySource? reactiveSource = null;
        decimal? exactKvarh = null;
        if (span.Meter.Registers.HasFlag(MeterRegisters.ReactiveImport))
        {
            RegisterReading? from = FrozenRead(span, MeterChannel.ReactiveImport, RegisterBand.Total, span.Start);
            RegisterReading? to = FrozenRead(span, MeterChannel.ReactiveImport, RegisterBand.Total, span.End);
            RegisterDelta? delta = from is RegisterReading f && to is RegisterReading t
                ? RegisterMath.Delta(f.Value, t.Value, t.MeterDigits ?? f.MeterDigits, MaxPlausible(span))
                : null;
            if (from is not null && to is not null && delta is { Kind: not RegisterDeltaKind.Rollback } usable)
            {
                reactiveSource = EnergySource.Registers;
                exactKvarh = usable.Delta * multiplier;
                readsUsed.Add(from.Value);
                readsUsed.Add(to.Value);
                if (from.Value.Quality == ReadingQuality.Estimated || to.Value.Quality == ReadingQuality.Estimated)
                {
                    estimated |= EstimatedValues.ReactiveEnergy;
                }
            }
            else if (Incomplete(span, MeterChannel.ReactiveImport) is string missing)
            {
                holds.Add(new HoldReason(HoldCode.MissingReactiveData, $"{span.Label}: the reactive register reads are incomplete or went backwards and {missing}"));
                return null;
            }
            else
            {
                reactiveSource = EnergySource.Intervals;
                decimal sum = 0m;
                for (DateOnly day = span.Start; day < span.End; day = day.AddDays(1))
                {
                    DayCurve curve = span.CurveOf(MeterChannel.ReactiveImport, day)!;
                    curveDays.Add(day);
                    foreach (CurveSlot slot in curve.Slots)
                    {
                        sum += slot.Value;
                        if (slot.Quality == ReadingQuality.Estimated)
                        {
                            estimated |= EstimatedValues.ReactiveEnergy;
                        }
                    }
                }

                exactKvarh = sum;
            }
        }

        BandEnergy? rounded = exactBands is BandEnergy e
            ? new BandEnergy(Round(e.CriticalPeak), Round(e.Peak), Round(e.Flat), Round(e.Valley))
            : null;
        return new MeterSource
        {
            Meter = span.Meter.MeterNo,
            ServicePointId = span.Point.Id,
            SpanStart = span.Start,
            SpanEnd = span.End,
            Multiplier = span.Meter.Multiplier,
            ActiveSource = activeSource,
            ReactiveSource = reactiveSource,
            ReadsUsed = readsUsed,
            CurveDaysUsed = [.. curveDays],
            ExactKwh = exactKwh,
            ExactBands = exactBands,
            ExactKvarh = exactKvarh,
            Kwh = rounded?.Total ?? Round(exactKwh),
            Bands = rounded,
            Kvarh = exactKvarh is decimal k ? Round(k) : null,
            EstimatedKwh = estimatedKwh,
            MaximumDemandKw = MaxDemand(span),
        };
    }

    private enum RegisterOutcome
    {
        Used,
        Missing,
        Rollback,
    }

    /// <summary>
    /// Meter-side energy of the total (index 0) and band registers (1–4, by <see cref="TouBand"/> + 1) from the span's
    /// boundary reads; Missing when a needed read is absent (bands wanted but none recorded counts as absent).
    /// </summary>
    private static RegisterOutcome TryRegisters(BillingInput input, Span span, List<RegisterReading> used, out decimal[] energy, out bool anyEstimated)
    {
        energy = new decimal[5];
        anyEstimated = false;
        var needed = new List<(RegisterBand Register, int Index)> { (RegisterBand.Total, 0) };
        if (input.TimeOfUse)
        {
            foreach ((MeterRegisters flag, RegisterBand register, TouBand band) in BandRegisters)
            {
                if (span.Meter.Registers.HasFlag(flag))
                {
                    needed.Add((register, (int)band + 1));
                }
            }

            if (needed.Count == 1)
            {
                return RegisterOutcome.Missing;
            }
        }

        bool rollback = false;
        foreach ((RegisterBand register, int index) in needed)
        {
            RegisterReading? from = FrozenRead(span, MeterChannel.ActiveImport, register, span.Start);
            RegisterReading? to = FrozenRead(span, MeterChannel.ActiveImport, register, span.End);
            if (from is not RegisterReading f || to is not RegisterReading t)
            {
                return RegisterOutcome.Missing;
            }

            used.Add(f);
            used.Add(t);
            anyEstimated |= f.Quality == ReadingQuality.Estimated || t.Quality == ReadingQuality.Estimated;
            RegisterDelta delta = RegisterMath.Delta(f.Value, t.Value, t.MeterDigits ?? f.MeterDigits, MaxPlausible(span));
            rollback |= delta.Kind == RegisterDeltaKind.Rollback;
            energy[index] = delta.Delta;
        }

        return rollback ? RegisterOutcome.Rollback : RegisterOutcome.Used;
    }

    /// <summary>The most a register can plausibly advance over the span, meter side: contracted kVA × span hours ÷ CT × PT.</summary>
    private static decimal MaxPlausible(Span span) =>
        span.Point.ContractedCapacityKva * span.Days * 24m / span.Meter.Multiplier;

    /// <summary>The best-ranked read of a register at China-local 00:00 of <paramref name="day"/>, or null.</summary>
    private static RegisterReading? FrozenRead(Span span, MeterChannel channel, RegisterBand band, DateOnly day)
    {
        DateTimeOffset midnight = ChinaTime.DayStart(day);
        RegisterReading? best = null;
        foreach (RegisterReading r in span.Reads)
        {
            if (r.Meter == span.Meter.MeterNo && r.Channel == channel && r.Band == band && r.ReadAt == midnight
                && (best is null || MeterChannels.Rank(r.Quality) > MeterChannels.Rank(best.Value.Quality)))
            {
                best = r;
            }
        }

        return best;
    }

    /// <summary>Null when every day of the span has a curve of the channel with every slot filled; otherwise what is missing.</summary>
    private static string? Incomplete(Span span, MeterChannel channel)
    {
        var missingDays = new List<string>();
        var gaps = new List<string>();
        for (DateOnly day = span.Start; day < span.End; day = day.AddDays(1))
        {
            if (span.CurveOf(channel, day) is not DayCurve curve)
            {
                missingDays.Add($"{day:yyyy-MM-dd}");
                continue;
            }

            int empty = 0;
            foreach (CurveSlot slot in curve.Slots)
            {
                empty += slot.HasValue ? 0 : 1;
            }

            if (empty > 0)
            {
                gaps.Add($"{day:yyyy-MM-dd} ({empty} of {curve.SlotCount} slots empty)");
            }
        }

        if (missingDays.Count == 0 && gaps.Count == 0)
        {
            return null;
        }

        string what = channel == MeterChannel.ActiveImport ? "active-import" : "reactive-import";
        var parts = new List<string>();
        if (missingDays.Count > 0)
        {
            parts.Add($"no {what} curve on {string.Join(", ", missingDays)}");
        }

        if (gaps.Count > 0)
        {
            parts.Add($"{what} curve gaps on {string.Join(", ", gaps)}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>Adds the span's active demand per 15-minute start; false when its curves are incomplete.</summary>
    private static bool AddDemand(Span span, Dictionary<DateTimeOffset, (decimal Kw, bool Estimated)> demand)
    {
        if (Incomplete(span, MeterChannel.ActiveImport) is not null)
        {
            return false;
        }

        for (DateOnly day = span.Start; day < span.End; day = day.AddDays(1))
        {
            DayCurve curve = span.CurveOf(MeterChannel.ActiveImport, day)!;
            ReadOnlySpan<CurveSlot> slots = curve.Slots;
            for (int i = 0; i < slots.Length; i++)
            {
                decimal kw = slots[i].Value * 60m / curve.IntervalMinutes;
                bool estimated = slots[i].Quality == ReadingQuality.Estimated;
                for (int sub = 0; sub < curve.IntervalMinutes; sub += DemandSlotMinutes)
                {
                    DateTimeOffset start = curve.SlotStart(i).AddMinutes(sub);
                    demand[start] = demand.TryGetValue(start, out (decimal Kw, bool Estimated) had)
                        ? (had.Kw + kw, had.Estimated || estimated)
                        : (kw, estimated);
                }
            }
        }

        return true;
    }

    /// <summary>The meter's own largest demand in its span, kW, or null when its active curves are incomplete.</summary>
    private static decimal? MaxDemand(Span span)
    {
        var own = new Dictionary<DateTimeOffset, (decimal Kw, bool Estimated)>();
        return AddDemand(span, own) && own.Count > 0 ? own.Values.Max(v => v.Kw) : null;
    }

    /// <summary>Half away from zero to 0.01 (kWh or kvarh): the one rounding of a meter's contribution.</summary>
    private static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);
}
