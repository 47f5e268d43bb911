using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Ingestion;

/// <summary>The outcome of one delivered register read: its result and, when it was not stored, its quarantine record.</summary>
public sealed record RegisterItem(int Index, ItemResult Result, ReadingPipeline.QuarantinedItem? Quarantined);

/// <summary>
/// The register step of <see cref="ReadingPipeline"/>: per meter, validate the delivered reads in time order against the
/// stored reads (<see cref="RegisterSeries"/>), check interval sums against the register advance where day curves cover
/// the span, and add the reads that pass in one entity-group transaction. A read that is already stored identically is a
/// Duplicate and writes nothing; a different value for a stored instant is quarantined (<c>ConflictRejected</c>: the
/// first read wins, as for interval values); reads failing a rejecting rule are quarantined with the rule names. When
/// every meter is done, the added reads taken at a midnight are copied by area (<see cref="RegisterStore.CopyFrozenAsync"/>)
/// for billing; a crash before the copy leaves billing to read those meters' own partitions.
/// </summary>
public sealed class RegisterIngestion(RegisterStore registers, CurveStore curves)
{
    /// <summary>Longest span between two total active-import reads whose interval sum is checked (daily frozen reads, a missed day).</summary>
    public const int IntervalSumMaxDays = 2;

    const int MaxAttempts = 10;

    public async Task<IReadOnlyList<RegisterItem>> ProcessAsync(
        IReadOnlyList<RegisterReading> reads,
        IReadOnlyDictionary<string, MeterLocation?> locations,
        DateTimeOffset now,
        string rawBlob,
        CancellationToken cancellationToken)
    {
        ConcurrentBag<RegisterItem> items = [];
        Dictionary<string, List<int>> byMeter = new(StringComparer.Ordinal);
        for (int i = 0; i < reads.Count; i++)
        {
            string meter = MeterDataKeys.Meter(reads[i].Meter.Value);
            if (locations[meter] is null)
            {
                items.Add(Quarantine(i, reads[i], nameof(ArchiveDecision.UnknownMeter)));
                continue;
            }

            if (!byMeter.TryGetValue(meter, out List<int>? list))
            {
                byMeter[meter] = list = [];
            }

            list.Add(i);
        }

        Dictionary<string, IReadOnlyList<RegisterReading>> delivered = byMeter.ToDictionary(
            m => m.Key, m => (IReadOnlyList<RegisterReading>)[.. m.Value.Select(i => reads[i] with { Meter = locations[m.Key]!.Entry.Meter })], StringComparer.Ordinal);
        IReadOnlyDictionary<string, IReadOnlyList<StoredRegister>> neighbours = await registers.NeighboursManyAsync(
            [.. delivered.Select(m => (locations[m.Key]!.Entry.Meter, m.Value))], cancellationToken);
        ConcurrentBag<(string AreaCode, StoredRegister Read)> added = [];
        await Parallel.ForEachAsync(byMeter, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (m, ct) =>
        {
            MeterLocation location = locations[m.Key]!;
            IReadOnlyList<StoredRegister> stored = neighbours[MeterDataKeys.RegisterPartition(location.Entry.Meter.Value)];
            (List<RegisterItem> meterItems, List<StoredRegister> meterReads) = await ProcessMeterAsync(location, m.Value, delivered[m.Key], stored, now, rawBlob, ct);
            foreach (RegisterItem item in meterItems)
            {
                items.Add(item);
            }

            foreach (StoredRegister read in meterReads)
            {
                added.Add((location.AreaCode, read));
            }
        });
        await registers.CopyFrozenAsync(added, cancellationToken);
        return [.. items];
    }

    /// <summary>
    /// Validates and stores one meter's delivered reads (<paramref name="reads"/>, the delivery's items at
    /// <paramref name="indexes"/>, with the archive's meter number) against <paramref name="neighbours"/>, read with the
    /// delivery's other meters; answers each read's outcome and the reads it added, which the caller copies into the
    /// frozen-read copy. When another delivery stored one of the reads first, the meter's neighbours are read again.
    /// </summary>
    async Task<(List<RegisterItem> Items, List<StoredRegister> Added)> ProcessMeterAsync(MeterLocation location, List<int> indexes, IReadOnlyList<RegisterReading> reads, IReadOnlyList<StoredRegister> neighbours, DateTimeOffset now, string rawBlob, CancellationToken cancellationToken)
    {
        MeterArchiveEntry entry = location.Entry;
        Dictionary<int, RegisterItem> attempted = [];
        IReadOnlyList<StoredRegister> stored = neighbours;
        for (int attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                stored = await registers.NeighboursAsync(entry.Meter, reads, cancellationToken);
            }

            RegisterCheck[] checks = RegisterSeries.Validate(reads, stored.Select(s => s.Reading).ToList(), entry, now, VeeOptions.Default);
            IReadOnlyDictionary<CurveKey, StoredCurve?> dayCurves = await curves.GetManyAsync(CurveKeys(location, checks), null, cancellationToken);

            List<RegisterItem> items = [];
            List<(int Index, StoredRegister Read, RegisterItem Item)> toAdd = [];
            for (int k = 0; k < checks.Length; k++)
            {
                RegisterCheck check = checks[k];
                int index = indexes[k];
                ValidatedRegister v = check.Validated;
                switch (v.Disposition)
                {
                    case ValueDisposition.Duplicate when check.Conflict:
                        items.Add(Quarantine(index, v.Reading, "ConflictRejected"));
                        continue;
                    case ValueDisposition.Duplicate:
                        // Written by an earlier attempt of this delivery (a later chunk lost a race): keep that attempt's result.
                        items.Add(attempted.TryGetValue(index, out RegisterItem? earlier) ? earlier : Result(index, v.Reading, ItemStatus.Duplicate, null));
                        continue;
                    case ValueDisposition.Rejected:
                        items.Add(Quarantine(index, v.Reading, RegisterStore.Rules(VeeRuleCatalog.Reasons(v.Failed))));
                        continue;
                }

                StoredRegister read = ToStored(location, check, dayCurves, rawBlob);
                ValueDisposition disposition = VeeRuleCatalog.Disposition(read.Failed);
                RegisterItem item = read.Reading.Quality == ReadingQuality.Estimated ? Result(index, read.Reading, ItemStatus.Estimated, null)
                    : disposition == ValueDisposition.Suspect ? Result(index, read.Reading, ItemStatus.Suspect, RegisterStore.Rules(read.Failed & VeeRuleCatalog.Suspecting))
                    : Result(index, read.Reading, ItemStatus.Accepted, null);
                toAdd.Add((index, read, item));
                items.Add(item);
            }

            try
            {
                await registers.AddAsync([.. toAdd.Select(a => a.Read)], cancellationToken);
                return (items, [.. toAdd.Select(a => a.Read)]);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another delivery stored one of these reads first: validate again against what is stored now.
                foreach ((int index, StoredRegister _, RegisterItem item) in toAdd)
                {
                    attempted[index] = item;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), cancellationToken);
            }
        }
    }

    /// <summary>The day curves an interval-sum check needs: total active import with a previous read a day or two before, both at midnight.</summary>
    static HashSet<CurveKey> CurveKeys(MeterLocation location, RegisterCheck[] checks)
    {
        HashSet<CurveKey> keys = [];
        foreach (RegisterCheck check in checks)
        {
            if (SumSpan(check) is { } span)
            {
                for (DateOnly day = ChinaTime.LocalDay(span.From); day < ChinaTime.LocalDay(span.To); day = day.AddDays(1))
                {
                    keys.Add(new CurveKey(location.AreaCode, location.Entry.Meter, MeterChannel.ActiveImport, day, location.Entry.IntervalMinutes));
                }
            }
        }

        return keys;
    }

    static (DateTimeOffset From, DateTimeOffset To)? SumSpan(RegisterCheck check)
    {
        ValidatedRegister v = check.Validated;
        RegisterReading r = v.Reading;
        return v.Disposition is ValueDisposition.Accepted or ValueDisposition.Suspect
            && r is { Channel: MeterChannel.ActiveImport, Band: RegisterBand.Total }
            && check.Previous is { } p
            && RegisterSeries.IsDayAlignedSpan(p.ReadAt, r.ReadAt, IntervalSumMaxDays)
                ? (p.ReadAt, r.ReadAt)
                : null;
    }

    static StoredRegister ToStored(MeterLocation location, RegisterCheck check, IReadOnlyDictionary<CurveKey, StoredCurve?> dayCurves, string rawBlob)
    {
        MeterArchiveEntry entry = location.Entry;
        ValidatedRegister v = check.Validated;
        VeeRules evaluated = v.Evaluated, failed = v.Failed;
        decimal multiplier = entry.MultiplierAppliedByHeadEnd ? 1m : entry.Multiplier;
        IntervalSumCheck? sum = null;
        if (SumSpan(check) is { } span)
        {
            List<IntervalReading> intervals = [];
            bool readable = true;
            for (DateOnly day = ChinaTime.LocalDay(span.From); day < ChinaTime.LocalDay(span.To); day = day.AddDays(1))
            {
                if (dayCurves.GetValueOrDefault(new CurveKey(location.AreaCode, entry.Meter, MeterChannel.ActiveImport, day, entry.IntervalMinutes)) is not { } stored)
                {
                    readable = false;
                    break;
                }

                DayCurve curve = stored.Curve;
                ReadOnlySpan<CurveSlot> slots = curve.Slots;
                for (int s = 0; s < slots.Length; s++)
                {
                    if (slots[s].HasValue)
                    {
                        intervals.Add(new IntervalReading(entry.Meter, MeterChannel.ActiveImport, curve.SlotStart(s), curve.IntervalMinutes, slots[s].Value, EnergyUnit.Kwh, slots[s].Quality));
                    }
                }
            }

            if (readable)
            {
                // Curves hold primary-side values, so the register advance is brought to that side with the same multiplier.
                sum = IntervalValidator.CheckIntervalSum(check.Previous!.Value, v.Reading, intervals, multiplier, VeeOptions.Default);
                if (sum.Value.Outcome != VeeOutcome.NotEvaluated)
                {
                    evaluated |= VeeRules.IntervalSumMismatch;
                    failed |= sum.Value.Outcome == VeeOutcome.Fail ? VeeRules.IntervalSumMismatch : VeeRules.None;
                }
            }
        }

        RegisterReading read = v.Reading;
        ReadingQuality quality = VeeRuleCatalog.Disposition(failed) == ValueDisposition.Suspect && read.Quality == ReadingQuality.Valid ? ReadingQuality.Questionable : read.Quality;
        return new StoredRegister(
            read,
            quality,
            multiplier,
            MeterArchiveRules.ToPrimary(read.Value, entry),
            v.Delta,
            v.Delta is { } d ? MeterArchiveRules.ToPrimary(d.Delta, entry) : null,
            v.Delta is null ? null : check.Previous?.ReadAt,
            evaluated,
            failed,
            sum,
            rawBlob);
    }

    static RegisterItem Quarantine(int index, RegisterReading r, string reason) =>
        new(index, Result(index, r, ItemStatus.Quarantined, reason).Result,
            new ReadingPipeline.QuarantinedItem(Position(index), r.Meter.Value, ReadingTypeCodes.ChannelCode(r.Channel), r.ReadAt.ToOffset(ChinaTime.Offset), r.Value, reason, RegisterStore.BandName(r.Band)));

    static RegisterItem Result(int index, RegisterReading r, ItemStatus status, string? reason) =>
        new(index, new ItemResult(Position(index), r.Meter.Value, ReadingTypeCodes.ChannelCode(r.Channel), r.ReadAt.ToOffset(ChinaTime.Offset), status, reason, RegisterStore.BandName(r.Band)), null);

    internal static string Position(int index) => string.Create(CultureInfo.InvariantCulture, $"register[{index}]");
}
