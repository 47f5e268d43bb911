using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using Microsoft.Extensions.Logging;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.Ingestion;

/// <summary>What happened to one delivered item.</summary>
public enum ItemStatus
{
    /// <summary>Stored as an actual value.</summary>
    Accepted,

    /// <summary>Stored, flagged Questionable by a soft VEE rule (see the reason).</summary>
    Suspect,

    /// <summary>Stored as delivered with quality Estimated.</summary>
    Estimated,

    /// <summary>Already stored with the same value and quality (a redelivery): no effect.</summary>
    Duplicate,

    /// <summary>Not stored because the slot holds a value of higher rank (e.g. an estimate offered for an actual).</summary>
    Ignored,

    /// <summary>Not stored; written to the quarantine blob with the reason.</summary>
    Quarantined,
}

/// <summary>
/// The outcome of one item. Interval values are positioned <c>interval[i]</c> by their index among the document's interval
/// values, register reads <c>register[i]</c> among its register reads (<see cref="Start"/> is then the read time and
/// <see cref="Register"/> the band); parser rejections keep the parser's position.
/// </summary>
public sealed record ItemResult(string Position, string? Meter, string? Channel, DateTimeOffset? Start, ItemStatus Status, string? Reason, string? Register = null);

/// <summary>
/// Counts of a delivery; <see cref="Received"/> = sum of the statuses, over interval values, register reads and parser
/// rejections. <see cref="Registers"/> says how many of the received items were register reads; events are not items.
/// </summary>
public sealed record IngestionCounts(int Received, int Accepted, int Suspect, int Estimated, int Duplicate, int Ignored, int Quarantined, int Registers, int EventsMonitored);

/// <summary>
/// The result of one delivery through the pipeline. <see cref="Items"/> lists every item that was <b>not</b> plainly
/// accepted (suspect, estimated, duplicate, ignored, quarantined, with their reasons); accepted items are only counted,
/// since a result per accepted value cost more than validating it.
/// </summary>
public sealed record IngestionResult(string RawBlob, bool RawAlreadyArchived, string? QuarantineBlob, IngestionCounts Counts, IReadOnlyList<ItemResult> Items);

/// <summary>A received payload: its bytes (archived as-is) and where it came from.</summary>
/// <param name="Bytes">The payload exactly as received.</param>
/// <param name="Source">Entry-point label (lower-case letters, digits, '-'), e.g. <c>http</c>.</param>
/// <param name="Extension">File extension of the raw blob: json, xml or csv.</param>
/// <param name="ContentType">Content type of the raw blob.</param>
public sealed record Payload(ReadOnlyMemory<byte> Bytes, string Source, string Extension, string ContentType);

/// <summary>A part of a payload archived already as a whole (a batch of a bulk file).</summary>
/// <param name="RawBlob">The whole payload's blob in <c>meter-raw</c>.</param>
/// <param name="Source">Entry-point label of the whole payload, e.g. <c>file</c>.</param>
/// <param name="QuarantineBlob">This part's quarantine blob in <c>meter-quarantine</c> (written only if something is quarantined).</param>
/// <param name="Positions">For each interval of the part, its index among the whole document's interval values.</param>
public sealed record ArchivedPart(string RawBlob, string Source, string QuarantineBlob, IReadOnlyList<int> Positions);

/// <summary>
/// The one ingestion pipeline every entry point calls with a parsed batch: archive the raw payload, quarantine what
/// cannot be stored, CT/PT, VEE per (meter, channel) series, merge into packed day curves, month-to-date per band,
/// then register reads (<see cref="RegisterIngestion"/>).
/// Every step is idempotent, so the same payload delivered again changes nothing.
/// </summary>
public sealed class ReadingPipeline(
    IngestionStorage storage,
    MeterDirectory directory,
    CurveStore curves,
    MonthToDateStore monthToDate,
    RejectionStore rejections,
    SpikeReferenceStore spikeReferences,
    RegisterIngestion registerIngestion,
    IEnumerable<IMeterEventObserver> eventObservers,
    TimeProvider time,
    ILogger<ReadingPipeline> logger)
{
    public async Task<IngestionResult> ProcessAsync(MeterReadingBatch batch, Payload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(payload);
        using System.Diagnostics.Activity? activity = MeterToCashTelemetry.StartIngestion(payload.Source);
        DateTimeOffset now = time.GetUtcNow();
        string hash = Convert.ToHexStringLower(SHA256.HashData(payload.Bytes.Span));
        string rawBlob = IngestionKeys.PayloadBlob(now, payload.Source, hash, payload.Extension) + ".gz";

        // 1. The raw payload first, immutably: whatever happens next, what was received can be reprocessed. Gzipped
        // (lossless; the name's hash is of the bytes as received): JSON readings shrink about tenfold, and storing a
        // megabyte per delivery was a fifth of the storage work of ingestion.
        bool alreadyArchived;
        byte[] gzipped = ArrayPool<byte>.Shared.Rent(payload.Bytes.Length + (payload.Bytes.Length / 100) + 1024);
        try
        {
            int length = Gzip(payload.Bytes.Span, gzipped);
            alreadyArchived = !await UploadOnceAsync(storage.Raw, rawBlob, gzipped.AsMemory(0, length), payload.ContentType, cancellationToken, contentEncoding: "gzip");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gzipped);
        }

        string quarantineBlob = IngestionKeys.PayloadBlob(now, payload.Source, hash, "json");
        return await ProcessItemsAsync(batch, rawBlob, alreadyArchived, payload.Source, quarantineBlob, Position, now, cancellationToken);
    }

    /// <summary>
    /// One part of a payload that is archived already (a batch of a bulk file): the raw blob is not written again, the
    /// part's quarantine goes to its own blob, and items are positioned as in the whole document, so a quarantined value
    /// names where it is in the file.
    /// </summary>
    public async Task<IngestionResult> ProcessAsync(MeterReadingBatch batch, ArchivedPart part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(part);
        if (part.Positions.Count != batch.Intervals.Count)
        {
            throw new ArgumentException($"A part needs one document position per interval value ({batch.Intervals.Count}), not {part.Positions.Count}.", nameof(part));
        }

        using System.Diagnostics.Activity? activity = MeterToCashTelemetry.StartIngestion(part.Source);
        return await ProcessItemsAsync(batch, part.RawBlob, true, part.Source, part.QuarantineBlob, i => Position(part.Positions[i]), time.GetUtcNow(), cancellationToken);
    }

    async Task<IngestionResult> ProcessItemsAsync(
        MeterReadingBatch batch,
        string rawBlob,
        bool alreadyArchived,
        string source,
        string quarantineBlobName,
        Func<int, string> at,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var results = new ItemResult?[batch.Intervals.Count];
        List<ItemResult> parseRejected = batch.Rejected
            .Select(r => new ItemResult(r.Position, null, null, null, ItemStatus.Quarantined, r.Reason.ToString()))
            .ToList();
        List<QuarantinedItem> quarantine = batch.Rejected
            .Select(r => new QuarantinedItem(r.Position, null, null, null, null, r.Reason.ToString(), r.Detail))
            .ToList();

        // 2. Archive: unknown, not-yet-installed and removed meters go to quarantine; the rest get CT/PT.
        Dictionary<string, MeterLocation?> locations = await ResolveAsync(batch.Intervals.Select(r => r.Meter).Concat(batch.Registers.Select(r => r.Meter)), cancellationToken);
        Dictionary<(string Meter, MeterChannel Channel), Series> series = [];
        // A document lists a meter's values together: the look-up (upper-casing and hashing the meter number) and the
        // series are reused while the meter and channel stay the same, which they do for all but one value in 96.
        string? lastMeter = null;
        MeterLocation? location = null;
        Series? list = null;
        MeterChannel lastChannel = default;
        for (int i = 0; i < batch.Intervals.Count; i++)
        {
            IntervalReading r = batch.Intervals[i];
            if (!string.Equals(r.Meter.Value, lastMeter, StringComparison.Ordinal))
            {
                lastMeter = r.Meter.Value;
                location = locations[MeterDataKeys.Meter(r.Meter.Value)];
                list = null;
            }

            ArchiveDecision decision = MeterArchiveRules.Check(location?.Entry, r.Start);
            if (decision != ArchiveDecision.Accept)
            {
                results[i] = Quarantine(quarantine, at(i), r, decision.ToString());
                continue;
            }

            IntervalReading primary = MeterArchiveRules.ToPrimary(r with { Meter = location!.Entry.Meter }, location.Entry);
            if (list is null || r.Channel != lastChannel)
            {
                var key = (location.Entry.Meter.Value, r.Channel);
                if (!series.TryGetValue(key, out list))
                {
                    series[key] = list = new Series();
                }

                lastChannel = r.Channel;
            }

            list.Add(i, primary);
        }

        // 3. VEE per series against the stored curves of the days it touches and the series' stored spike reference (live
        // data brings too little same-day history to judge spikes by; see SpikeReference), then the values to merge per
        // curve. The references are cached per area like the meter directory's entries: a delivery rarely reads them.
        Task<IReadOnlyDictionary<string, AreaSpikeReferences>> referencesRead = spikeReferences.GetManyAsync(
            series.Keys.Select(k => locations[k.Meter]!.AreaCode).ToHashSet(StringComparer.Ordinal), cancellationToken);
        ConcurrentBag<(CurveChange Change, int[] Items, ValidatedInterval[] Validated)> changes = [];
        ConcurrentBag<(int Index, ItemResult Result, QuarantinedItem? Quarantined)> decided = [];
        // The stored curves of every series-day first, batched per area-day partition (one range query per 100 curves).
        HashSet<CurveKey> keys = [];
        foreach (((string meter, MeterChannel channel), Series readings) in series)
        {
            MeterLocation place = locations[meter]!;
            DateOnly? lastDay = null;
            foreach (DateOnly day in readings.Days)
            {
                if (day != lastDay)
                {
                    keys.Add(new CurveKey(place.AreaCode, place.Entry.Meter, channel, day, place.Entry.IntervalMinutes));
                    lastDay = day;
                }
            }
        }

        // Only curves the month-to-date blocks list are read. A head-end delivers an area's day once it is over, so its
        // curves are new: a point read of the day's block instead of a range query (which Azurite answers by scanning
        // the whole day table, 6 % of its CPU in ingestion). A curve stored but not counted yet (a concurrent
        // delivery, or one that died before its month-to-date write) is validated as new; its Add then conflicts and
        // the merge re-reads it, as it does when another delivery writes between our read and our write.
        DayBlocks dayBlocks = await monthToDate.ReadBlocksAsync(keys, cancellationToken);
        IReadOnlyDictionary<CurveKey, StoredCurve?> storedCurves = await curves.GetManyAsync(keys, dayBlocks.Lists, cancellationToken);
        IReadOnlyDictionary<string, AreaSpikeReferences> references = await referencesRead;
        Parallel.ForEach(series, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, s =>
        {
            MeterLocation location = locations[s.Key.Meter]!;
            SpikeReference? storedReference = references[location.AreaCode].For(location.Entry.Meter, s.Key.Channel);
            ValidateSeries(location, s.Key.Channel, s.Value, now, storedCurves, storedReference, at, changes, decided);
        });

        foreach ((int index, ItemResult result, QuarantinedItem? q) in decided)
        {
            results[index] = result;
            if (q is not null)
            {
                quarantine.Add(q);
            }
        }

        // 4. Merge into the stored curves (ETag-conditional, batched per area-day partition).
        List<(CurveChange Change, int[] Items, ValidatedInterval[] Validated)> changeList = [.. changes];
        IReadOnlyList<CurveWrite> writes = await curves.MergeAsync(changeList.Select(c => c.Change).ToList(), cancellationToken);
        Dictionary<CurveChange, (int[] Items, ValidatedInterval[] Validated)> byChange = changeList.ToDictionary(c => c.Change, c => (c.Items, c.Validated));
        foreach (CurveWrite write in writes)
        {
            (int[] indexes, ValidatedInterval[] validated) = byChange[write.Change];
            for (int u = 0; u < indexes.Length; u++)
            {
                ValidatedInterval v = validated[u];
                (ItemStatus status, string? reason) = write.Outcomes[u] switch
                {
                    MergeOutcome.Inserted or MergeOutcome.Replaced => Stored(v),
                    MergeOutcome.Unchanged => (ItemStatus.Duplicate, null),
                    MergeOutcome.KeptExisting => (ItemStatus.Ignored, nameof(MergeOutcome.KeptExisting)),
                    MergeOutcome.Invalid when write.After is null => (ItemStatus.Quarantined, "StoredCurveUnreadable"),
                    MergeOutcome other => (ItemStatus.Quarantined, other.ToString()),
                };
                results[indexes[u]] = status switch
                {
                    ItemStatus.Accepted => PlainlyAccepted,
                    ItemStatus.Quarantined => Quarantine(quarantine, at(indexes[u]), v.Reading, reason!),
                    _ => Result(at(indexes[u]), v.Reading, status, reason),
                };
            }
        }

        // 5. Month-to-date from every curve the delivery touched, changed or not. A redelivery whose values are all
        // duplicates still passes its stored curves through, and that is what repairs a run that died between the
        // curve transaction and the month-to-date one (the store writes nothing where the totals already agree).
        // One group per area-month: its totals share a partition and are written in transactions of up to 100.
        Dictionary<CurveKey, (string AreaCode, StoredCurve Curve)> touched = storedCurves
            .Where(kv => kv.Value is { Revision: > 0 })
            .ToDictionary(kv => kv.Key with { IntervalMinutes = 0 }, kv => (kv.Key.AreaCode, kv.Value!));
        foreach (CurveWrite write in writes.Where(w => w.After is not null))
        {
            DayCurve after = write.After!.Curve;
            touched[new CurveKey(write.Change.AreaCode, after.Meter, after.Channel, after.Day, 0)] = (write.Change.AreaCode, write.After);
        }

        var months = touched.Values.GroupBy(t => (t.AreaCode, t.Curve.Curve.Day.Year, t.Curve.Curve.Day.Month));
        await Parallel.ForEachAsync(months, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (m, ct) =>
            await monthToDate.ApplyAsync(m.Key.AreaCode, m.Key.Year, m.Key.Month, m.Select(t => t.Curve).ToList(), dayBlocks, ct, locations: locations));

        // 6. Register reads, after the curves so a delivery carrying a day's intervals and its midnight read can check one
        // against the other. Stored per meter (see RegisterStore); a few reads per meter-day.
        IReadOnlyList<RegisterItem> registerItems = batch.Registers.Count == 0
            ? []
            : await registerIngestion.ProcessAsync(batch.Registers, locations, now, rawBlob, cancellationToken);
        quarantine.AddRange(registerItems.Select(r => r.Quarantined).OfType<QuarantinedItem>());

        // 7. Meter events go to their observers, e.g. alarms (after the readings, so an observer's failure never loses them).
        foreach (IMeterEventObserver observer in eventObservers)
        {
            await observer.ObserveAsync(batch.Events, cancellationToken);
        }

        // 8. The quarantine record of this payload: same name as the raw blob, so a redelivery does not add another.
        string? quarantineBlob = null;
        if (quarantine.Count > 0)
        {
            quarantineBlob = quarantineBlobName;
            byte[] document = JsonSerializer.SerializeToUtf8Bytes(new QuarantineDocument(rawBlob, source, now, [.. quarantine.OrderBy(q => q.Position, StringComparer.Ordinal)]), QuarantineJson);
            await UploadOnceAsync(storage.Quarantine, quarantineBlob, document, "application/json", cancellationToken);
        }

        int acceptedIntervals = 0;
        List<ItemResult> items = [.. parseRejected];
        foreach (ItemResult? r in results)
        {
            if (ReferenceEquals(r, PlainlyAccepted))
            {
                acceptedIntervals++;
            }
            else
            {
                items.Add(r!);
            }
        }

        items.AddRange(registerItems.OrderBy(r => r.Index).Select(r => r.Result));
        if (quarantine.Count > 0)
        {
            // Keyed by the payload's (or file part's) quarantine blob, so a redelivery rewrites its own counts.
            string payloadKey = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(quarantineBlobName)))[..32];
            await rejections.RecordAsync(
                payloadKey,
                now,
                items.Where(i => i.Status == ItemStatus.Quarantined && i.Register is null).Select(i => new RejectedValue(i.Meter, i.Channel, i.Start, i.Reason)),
                locations,
                cancellationToken);
        }

        IngestionCounts counts = new(
            items.Count + acceptedIntervals,
            items.Count(i => i.Status == ItemStatus.Accepted) + acceptedIntervals,
            items.Count(i => i.Status == ItemStatus.Suspect),
            items.Count(i => i.Status == ItemStatus.Estimated),
            items.Count(i => i.Status == ItemStatus.Duplicate),
            items.Count(i => i.Status == ItemStatus.Ignored),
            items.Count(i => i.Status == ItemStatus.Quarantined),
            registerItems.Count,
            batch.Events.Count);
        logger.DeliveryProcessed(rawBlob, counts.Received, counts.Accepted + counts.Suspect + counts.Estimated, counts.Duplicate, counts.Quarantined);
        MeterToCashTelemetry.RecordIngestion(source, counts, items);
        return new IngestionResult(rawBlob, alreadyArchived, quarantineBlob, counts, items.Where(i => i.Status != ItemStatus.Accepted).ToList());
    }

    void ValidateSeries(
        MeterLocation location,
        MeterChannel channel,
        Series readings,
        DateTimeOffset now,
        IReadOnlyDictionary<CurveKey, StoredCurve?> storedCurves,
        SpikeReference? storedReference,
        Func<int, string> at,
        ConcurrentBag<(CurveChange, int[], ValidatedInterval[])> changes,
        ConcurrentBag<(int, ItemResult, QuarantinedItem?)> decided)
    {
        MeterArchiveEntry entry = location.Entry;
        Dictionary<DateOnly, StoredCurve?> stored = [];
        List<DateOnly> days = readings.Days;
        foreach (DateOnly day in days.Distinct())
        {
            StoredCurve? curve = storedCurves[new CurveKey(location.AreaCode, entry.Meter, channel, day, entry.IntervalMinutes)];
            if (curve is null)
            {
                logger.CurveUnreadable($"Stored curve {MeterDataKeys.CurvePartition(location.AreaCode, day)}/{MeterDataKeys.CurveRow(entry.Meter.Value, channel)} cannot be decoded.");
            }

            stored[day] = curve;
        }

        List<IntervalReading> history = [];
        foreach (StoredCurve curve in stored.Values.OfType<StoredCurve>())
        {
            ReadOnlySpan<CurveSlot> slots = curve.Curve.Slots;
            for (int s = 0; s < slots.Length; s++)
            {
                if (slots[s].HasValue)
                {
                    history.Add(new IntervalReading(entry.Meter, channel, curve.Curve.SlotStart(s), curve.Curve.IntervalMinutes, slots[s].Value, MeterChannels.UnitOf(channel), slots[s].Quality));
                }
            }
        }

        ValidatedInterval[] validated = IntervalValidator.Validate(readings.Readings, new IntervalSeriesContext(entry, channel, now, history, VeeOptions.Default, storedReference));

        // The values that go into a curve, with their slot (-1: decided here), counted per day so that each curve's
        // arrays are allocated once at their size: a series is a meter-day or a few, and this runs for every value.
        int[] target = new int[validated.Length];
        Dictionary<DateOnly, int> perDay = [];
        for (int i = 0; i < validated.Length; i++)
        {
            target[i] = -1;
            ValidatedInterval v = validated[i];
            int index = readings.Indexes[i];
            DateOnly day = days[i];
            switch (v.Disposition)
            {
                case ValueDisposition.Duplicate:
                    decided.Add((index, Result(at(index), v.Reading, ItemStatus.Duplicate, null), null));
                    continue;
                case ValueDisposition.Rejected:
                    string rules = RuleNames(VeeRuleCatalog.Reasons(v.Failed));
                    decided.Add((index, Result(at(index), v.Reading, ItemStatus.Quarantined, rules), QuarantinedItem.Of(at(index), v.Reading, rules)));
                    continue;
            }

            if (stored[day] is not { } curve || !curve.Curve.TryGetSlot(v.Reading.Start, out int slot))
            {
                string reason = stored[day] is null ? "StoredCurveUnreadable" : nameof(VeeRules.UnitChannelMismatch);
                decided.Add((index, Result(at(index), v.Reading, ItemStatus.Quarantined, reason), QuarantinedItem.Of(at(index), v.Reading, reason)));
                continue;
            }

            target[i] = slot;
            perDay[day] = perDay.GetValueOrDefault(day) + 1;
        }

        foreach ((DateOnly day, int count) in perDay)
        {
            var updates = new CurveUpdate[count];
            var indexes = new int[count];
            // The usual series is one meter-day whose every value goes into its curve: those are the validated values
            // in order, so the array is shared rather than copied.
            bool all = count == validated.Length;
            ValidatedInterval[] values = all ? validated : new ValidatedInterval[count];
            int n = 0;
            for (int i = 0; i < validated.Length && n < count; i++)
            {
                if (target[i] >= 0 && days[i] == day)
                {
                    ValidatedInterval v = validated[i];
                    updates[n] = new CurveUpdate(target[i], v.Reading.Value, v.StoredQuality, v.Failed & VeeRuleCatalog.KeptWithValue);
                    indexes[n] = readings.Indexes[i];
                    if (!all)
                    {
                        values[n] = v;
                    }

                    n++;
                }
            }

            changes.Add((new CurveChange(location.AreaCode, stored[day]!, updates), indexes, values));
        }
    }

    /// <summary>
    /// One (meter, channel) series of a delivery: its values in delivery order, their indexes in the document and their
    /// China-local days (what the curve reads and the per-day split both need).
    /// </summary>
    sealed class Series
    {
        // A day of 15-minute values; most series are exactly that.
        public List<int> Indexes { get; } = new(96);

        public List<IntervalReading> Readings { get; } = new(96);

        public List<DateOnly> Days { get; } = new(96);

        public void Add(int index, IntervalReading reading)
        {
            Indexes.Add(index);
            Readings.Add(reading);
            Days.Add(ChinaTime.LocalDay(reading.Start));
        }
    }

    async Task<Dictionary<string, MeterLocation?>> ResolveAsync(IEnumerable<MeterId> delivered, CancellationToken cancellationToken)
    {
        return await directory.ResolveManyAsync(delivered.Select(m => m.Value), cancellationToken);
    }

    /// <summary>Uploads unless the blob exists; false when it did (a redelivery). Immutable: never overwrites.</summary>
    internal static async Task<bool> UploadOnceAsync(Azure.Storage.Blobs.BlobContainerClient container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken, string? contentEncoding = null)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = contentType, ContentEncoding = contentEncoding } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Gzips into <paramref name="target"/>, which must hold the deflate worst case (input + 1 % + 1 KiB); returns the length.</summary>
    static int Gzip(ReadOnlySpan<byte> bytes, byte[] target)
    {
        using MemoryStream buffer = new(target, writable: true);
        using (System.IO.Compression.GZipStream gzip = new(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return (int)buffer.Position;
    }

    /// <summary>Stands in for the result of an interval value stored as delivered, which is only counted.</summary>
    static readonly ItemResult PlainlyAccepted = new("accepted", null, null, null, ItemStatus.Accepted, null);

    static (ItemStatus, string?) Stored(ValidatedInterval v) =>
        v.StoredQuality == ReadingQuality.Estimated ? (ItemStatus.Estimated, null)
        : v.Disposition == ValueDisposition.Suspect ? (ItemStatus.Suspect, RuleNames(v.Failed & VeeRuleCatalog.Suspecting))
        : (ItemStatus.Accepted, null);

    static ItemResult Quarantine(List<QuarantinedItem> quarantine, string position, IntervalReading r, string reason)
    {
        quarantine.Add(QuarantinedItem.Of(position, r, reason));
        return Result(position, r, ItemStatus.Quarantined, reason);
    }

    static ItemResult Result(string position, IntervalReading r, ItemStatus status, string? reason) =>
        new(position, r.Meter.Value, ReadingTypeCodes.ChannelCode(r.Channel), r.Start.ToOffset(ChinaTime.Offset), status, reason);

    internal static string Position(int index) => string.Create(CultureInfo.InvariantCulture, $"interval[{index}]");

    static string RuleNames(VeeRules rules) =>
        string.Join(',', VeeRuleCatalog.All.Where(r => (rules & r) != 0).Select(r => r.ToString()));

    static readonly JsonSerializerOptions QuarantineJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>One item of a quarantine blob.</summary>
    public sealed record QuarantinedItem(string Position, string? Meter, string? Channel, DateTimeOffset? Start, decimal? Value, string Reason, string? Detail)
    {
        public static QuarantinedItem Of(string position, IntervalReading r, string reason) =>
            new(position, r.Meter.Value, ReadingTypeCodes.ChannelCode(r.Channel), r.Start.ToOffset(ChinaTime.Offset), r.Value, reason, null);
    }

    /// <summary>The quarantine blob of one payload.</summary>
    public sealed record QuarantineDocument(string RawBlob, string Source, DateTimeOffset ReceivedAt, IReadOnlyList<QuarantinedItem> Items);
}
