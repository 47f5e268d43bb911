using Azure;
using System.Globalization;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// A validated register read as stored: the read as delivered (meter side), its primary-side value, the delta to the
/// previous read and every rule's outcome.
/// </summary>
/// <param name="Reading">The read as delivered (meter-side value, delivered quality); the idempotency key is (meter, channel, band, readAt).</param>
/// <param name="StoredQuality">Quality kept: the delivered one, or Questionable when a soft rule failed on a valid read.</param>
/// <param name="Multiplier">CT × PT applied (1 when the head-end already delivered primary values).</param>
/// <param name="PrimaryValue">Register value × multiplier, kWh/kvarh primary side.</param>
/// <param name="Delta">Meter-side advance since <paramref name="PreviousReadAt"/>, with its kind; null for a register's first read.</param>
/// <param name="PrimaryDelta">The advance × multiplier.</param>
/// <param name="PreviousReadAt">The read the delta is measured from (the latest stored read of the register before this one when it was stored).</param>
/// <param name="Evaluated">Rules evaluated.</param>
/// <param name="Failed">Rules failed (only note and soft rules: a read failing a rejecting rule is quarantined, not stored).</param>
/// <param name="IntervalSum">Interval sum versus register delta, when it was evaluated for this read.</param>
/// <param name="RawBlob">The raw payload the read arrived in (blob <c>meter-raw</c>).</param>
public sealed record StoredRegister(
    RegisterReading Reading,
    ReadingQuality StoredQuality,
    decimal Multiplier,
    decimal PrimaryValue,
    RegisterDelta? Delta,
    decimal? PrimaryDelta,
    DateTimeOffset? PreviousReadAt,
    VeeRules Evaluated,
    VeeRules Failed,
    IntervalSumCheck? IntervalSum,
    string RawBlob);

/// <summary>Reads and writes register reads (table <c>MeterRegisters</c>; keys and reasons: <see cref="MeterDataKeys"/>).</summary>
public sealed class RegisterStore(MeterDataStorage storage)
{
    const int MaxTransaction = 100, PageSize = 100;

    /// <summary>How far before a delivery's earliest read the previous read of a register is looked for.</summary>
    public static readonly TimeSpan PreviousLookback = TimeSpan.FromDays(400);

    /// <summary>How far after a delivery's latest read a later neighbour is looked for (a back-fill is checked against it).</summary>
    public static readonly TimeSpan NextLookahead = TimeSpan.FromDays(31);

    /// <summary>
    /// How far before a delivery's earliest read <see cref="NeighboursManyAsync"/> first looks, for all the delivery's
    /// meters at once: daily frozen reads find their previous read within it, a missed day included.
    /// </summary>
    public static readonly TimeSpan RecentLookback = TimeSpan.FromDays(3);

    /// <summary>
    /// The stored reads a delivery of <paramref name="meter"/> is validated against: for every register in
    /// <paramref name="delivered"/>, the reads from <see cref="NextLookahead"/> after the latest delivered read down to the
    /// first read before the register's earliest delivered one (within <see cref="PreviousLookback"/>). Keys run newest
    /// first, so this is one partition range query that stops as soon as every register has its previous read.
    /// </summary>
    public async Task<IReadOnlyList<StoredRegister>> NeighboursAsync(MeterId meter, IReadOnlyList<RegisterReading> delivered, CancellationToken cancellationToken)
    {
        NeighbourScan scan = new(meter, delivered);
        if (scan.IsEmpty)
        {
            return [];
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {scan.PartitionKey} and RowKey ge {scan.From} and RowKey le {scan.To}");
        await foreach (TableEntity e in storage.Registers.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, cancellationToken: cancellationToken))
        {
            if (scan.Offer(e))
            {
                break;
            }
        }

        return scan.Found;
    }

    /// <summary>
    /// <see cref="NeighboursAsync"/> for many meters of one delivery, each answer the same as that meter's own query
    /// gives, with range reads over all the meters' partitions (<see cref="PartitionRange"/>) instead of a query per meter:
    /// first over <see cref="RecentLookback"/> before the earliest delivered read, where a daily feed finds every previous
    /// read; then, for the meters with a register still without its previous read, over the whole
    /// <see cref="PreviousLookback"/>.
    /// </summary>
    /// <returns>Per meter (<see cref="MeterDataKeys.RegisterPartition"/>), its stored neighbours.</returns>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredRegister>>> NeighboursManyAsync(
        IReadOnlyList<(MeterId Meter, IReadOnlyList<RegisterReading> Delivered)> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        Dictionary<string, IReadOnlyList<StoredRegister>> answers = new(StringComparer.Ordinal);
        List<NeighbourScan> open = [];
        foreach ((MeterId meter, IReadOnlyList<RegisterReading> delivered) in deliveries)
        {
            NeighbourScan scan = new(meter, delivered);
            if (scan.IsEmpty)
            {
                answers[scan.PartitionKey] = [];
            }
            else
            {
                open.Add(scan);
            }
        }

        List<NeighbourScan> notFound = await AnswerFromRangeAsync(open, RecentLookback, answers, cancellationToken);
        await AnswerFromRangeAsync(notFound, PreviousLookback, answers, cancellationToken);
        return answers;
    }

    /// <summary>
    /// Range reads of the scans' partitions from the latest delivered read plus <see cref="NextLookahead"/> down to
    /// <paramref name="lookback"/> before the earliest; answers every meter whose scan completes within it (with the whole
    /// <see cref="PreviousLookback"/>, every meter) and returns fresh scans of the meters left without an answer.
    /// </summary>
    async Task<List<NeighbourScan>> AnswerFromRangeAsync(
        List<NeighbourScan> scans, TimeSpan lookback, Dictionary<string, IReadOnlyList<StoredRegister>> answers, CancellationToken cancellationToken)
    {
        List<NeighbourScan> left = [];
        if (scans.Count == 0)
        {
            return left;
        }

        string from = scans.Select(scan => scan.From).Min(StringComparer.Ordinal)!;
        string to = scans.Select(scan => scan.ToWithin(lookback)).Max(StringComparer.Ordinal)!;
        PartitionRange.Rows rows = await PartitionRange.ReadAsync(
            storage.Registers, [.. scans.Select(scan => scan.PartitionKey)], TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey le {to}"), cancellationToken);
        foreach (NeighbourScan scan in scans)
        {
            bool complete = rows.Of(scan.PartitionKey).Any(row => scan.Covers(row.RowKey) && scan.Offer(row));
            if (complete || lookback >= PreviousLookback)
            {
                answers[scan.PartitionKey] = scan.Found;
            }
            else
            {
                left.Add(new NeighbourScan(scan.Meter, scan.Delivered));
            }
        }

        return left;
    }

    /// <summary>
    /// A meter's reads with <paramref name="from"/> ≤ readAt &lt; <paramref name="to"/>, oldest first (one partition range query).
    /// </summary>
    public async Task<IReadOnlyList<StoredRegister>> HistoryAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        string pk = MeterDataKeys.RegisterPartition(meter.Value);
        // Newest first in key order: readAt < to  ⇔  RowKey > key(to); readAt ≥ from  ⇔  RowKey ≤ key(from)~….
        string low = MeterDataKeys.RegisterTime(to) + "~~", high = MeterDataKeys.RegisterTime(from) + "~~";
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey gt {low} and RowKey le {high}");
        List<StoredRegister> found = [];
        await foreach (TableEntity e in storage.Registers.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (FromEntity(e) is { } stored && stored.Reading.ReadAt >= from && stored.Reading.ReadAt < to)
            {
                found.Add(stored);
            }
        }

        found.Reverse();
        return found;
    }

    /// <summary>
    /// The reads of the given registers of a meter at exactly <paramref name="readAt"/> (e.g. the daily frozen values at
    /// midnight). A read's key is its instant then its register, so every register's read at one instant is one RowKey
    /// range of the meter's partition, <c>{time}~</c> to <c>{time}~~</c>: one query, whatever the number of registers.
    /// Registers without a read at that instant are left out. Billing reads the period's boundaries this way.
    /// </summary>
    public async Task<IReadOnlyList<StoredRegister>> AtAsync(MeterId meter, IReadOnlyList<(MeterChannel Channel, RegisterBand Band)> registers, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registers);
        if (registers.Count == 0)
        {
            return [];
        }

        string pk = MeterDataKeys.RegisterPartition(meter.Value), time = MeterDataKeys.RegisterTime(readAt);
        Dictionary<string, int> wanted = new(StringComparer.Ordinal);
        foreach ((MeterChannel channel, RegisterBand band) in registers)
        {
            wanted.TryAdd(MeterDataKeys.RegisterRow(meter.Value, channel, band, readAt), wanted.Count);
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey gt {time + "~"} and RowKey lt {time + "~~"}");
        List<(int Order, StoredRegister Read)> found = [];
        await foreach (TableEntity e in storage.Registers.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (wanted.TryGetValue(e.RowKey, out int order) && FromEntity(e) is { } stored)
            {
                found.Add((order, stored));
            }
        }

        // In the order the registers were asked for.
        return [.. found.OrderBy(f => f.Order).Select(f => f.Read)];
    }

    /// <summary>
    /// The reads each request asks for, in request order (each list in the order of its registers). Requests at a
    /// China-local midnight are answered from the frozen-read copy (<see cref="MeterDataKeys.FrozenRegistersTable"/>, a table per month): one
    /// RowKey-range query per area and midnight, from the lowest meter asked to the highest. A request the copy does not
    /// answer with every register it wants (not at midnight, a read a crash left out of the copy, a meter filed under
    /// another area, or a register that was never read) is answered by <see cref="AtAsync"/> from the meter's own partition,
    /// <paramref name="parallelism"/> at a time, so the answer is always what <see cref="AtAsync"/> would give.
    /// </summary>
    public async Task<IReadOnlyList<StoredRegister>[]> AtManyAsync(IReadOnlyList<RegistersAt> requests, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        IReadOnlyList<StoredRegister>?[] answers = new IReadOnlyList<StoredRegister>?[requests.Count];
        await AnswerFromFrozenCopyAsync(requests, answers, cancellationToken);
        ParallelOptions inParallel = new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count).Where(i => answers[i] is null), inParallel, async (i, ct) =>
            answers[i] = await AtAsync(requests[i].Meter, requests[i].Registers, requests[i].ReadAt, ct));
        return [.. answers.Select(a => a!)];
    }

    async Task AnswerFromFrozenCopyAsync(IReadOnlyList<RegistersAt> requests, IReadOnlyList<StoredRegister>?[] answers, CancellationToken cancellationToken)
    {
        List<int> atMidnight = [];
        for (int i = 0; i < requests.Count; i++)
        {
            if (requests[i].Registers.Count == 0)
            {
                answers[i] = [];
            }
            else if (MeterDataKeys.IsFrozenInstant(requests[i].ReadAt))
            {
                atMidnight.Add(i);
            }
        }

        IEnumerable<IGrouping<(string AreaCode, DateOnly Day), int>> byAreaDay = atMidnight
            .GroupBy(i => (requests[i].AreaCode, ChinaTime.LocalDay(requests[i].ReadAt)));
        foreach (IGrouping<(string AreaCode, DateOnly Day), int> partition in byAreaDay)
        {
            string[] meters = [.. partition.Select(i => MeterDataKeys.Meter(requests[i].Meter.Value)).Order(StringComparer.Ordinal)];
            string from = MeterDataKeys.FrozenRowsFrom(meters[0]), to = MeterDataKeys.FrozenRowsTo(meters[^1]);
            string filter = TableClient.CreateQueryFilter($"PartitionKey eq {MeterDataKeys.FrozenPartition(partition.Key.AreaCode, partition.Key.Day)} and RowKey ge {from} and RowKey lt {to}");
            Dictionary<string, StoredRegister> copied = new(StringComparer.Ordinal);
            try
            {
                await foreach (TableEntity e in storage.FrozenRegisters(partition.Key.Day).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                {
                    if (FromEntity(e) is { } stored)
                    {
                        copied[e.RowKey] = stored;
                    }
                }
            }
            catch (RequestFailedException e) when (MeterDataStorage.IsMissingTable(e))
            {
                // No read of that month was ever copied: every meter falls back to its own partition.
            }

            foreach (int i in partition)
            {
                RegistersAt request = requests[i];
                List<StoredRegister> found = [];
                foreach ((MeterChannel channel, RegisterBand band) in request.Registers)
                {
                    if (copied.TryGetValue(MeterDataKeys.FrozenRow(request.Meter.Value, channel, band), out StoredRegister? read))
                    {
                        found.Add(read);
                    }
                }

                answers[i] = found.Count == request.Registers.Count ? found : null;
            }
        }
    }

    /// <summary>
    /// Copies the reads among <paramref name="reads"/> that were taken at a China-local midnight into the frozen-read copy
    /// of their area (<see cref="MeterDataKeys.FrozenRegistersTable"/>, a table per month): upserts, one entity-group transaction per area-day
    /// and 100 reads, so writing the same reads again changes nothing. Called after the reads themselves are stored.
    /// </summary>
    public async Task CopyFrozenAsync(IEnumerable<(string AreaCode, StoredRegister Read)> reads, CancellationToken cancellationToken)
    {
        IEnumerable<IGrouping<DateOnly, (string AreaCode, StoredRegister Read)>> byDay = reads
            .Where(r => MeterDataKeys.IsFrozenInstant(r.Read.Reading.ReadAt))
            .GroupBy(r => ChinaTime.LocalDay(r.Read.Reading.ReadAt));
        foreach (IGrouping<DateOnly, (string AreaCode, StoredRegister Read)> day in byDay)
        {
            IEnumerable<TableEntity[]> transactions = day
                .Select(r => FrozenEntity(r.AreaCode, r.Read))
                .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
                .SelectMany(p => p.DistinctBy(e => e.RowKey, StringComparer.Ordinal).Chunk(MaxTransaction));
            await storage.EnsureFrozenRegistersTableAsync(day.Key);
            foreach (TableEntity[] chunk in transactions)
            {
                await storage.FrozenRegisters(day.Key).SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
            }
        }
    }

    static TableEntity FrozenEntity(string areaCode, StoredRegister read)
    {
        TableEntity entity = ToEntity(read);
        entity.PartitionKey = MeterDataKeys.FrozenPartition(areaCode, ChinaTime.LocalDay(read.Reading.ReadAt));
        entity.RowKey = MeterDataKeys.FrozenRow(read.Reading.Meter.Value, read.Reading.Channel, read.Reading.Band);
        return entity;
    }

    /// <summary>
    /// Adds new reads of one meter in entity-group transactions of up to 100 (one partition, so each is atomic). Add, not
    /// upsert: a read is never overwritten, and a concurrent delivery that stored one of them first makes the transaction
    /// fail with 409, after which the caller re-validates against what is stored now.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<StoredRegister> reads, CancellationToken cancellationToken)
    {
        foreach (StoredRegister[] chunk in reads.Chunk(MaxTransaction))
        {
            await storage.Registers.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(r))), cancellationToken);
        }
    }

    internal static DateTimeOffset Clamp(DateTimeOffset at, TimeSpan shift) =>
        shift > TimeSpan.Zero && at > DateTimeOffset.MaxValue - shift ? DateTimeOffset.MaxValue
        : shift < TimeSpan.Zero && at < DateTimeOffset.MinValue - shift ? DateTimeOffset.MinValue
        : at + shift;

    static TableEntity ToEntity(StoredRegister r)
    {
        RegisterReading read = r.Reading;
        // Decimals as invariant strings: Azure Tables has no decimal type and a double would not add up exactly.
        return new TableEntity(MeterDataKeys.RegisterPartition(read.Meter.Value), MeterDataKeys.RegisterRow(read.Meter.Value, read.Channel, read.Band, read.ReadAt))
        {
            ["Meter"] = read.Meter.Value,
            ["Channel"] = ReadingTypeCodes.ChannelCode(read.Channel),
            ["Band"] = read.Band.ToString(),
            ["ReadAt"] = read.ReadAt,
            ["Value"] = Text(read.Value),
            ["Unit"] = read.Unit.ToString(),
            ["DeliveredQuality"] = read.Quality.ToString(),
            ["Quality"] = r.StoredQuality.ToString(),
            ["MeterDigits"] = read.MeterDigits,
            ["Multiplier"] = Text(r.Multiplier),
            ["PrimaryValue"] = Text(r.PrimaryValue),
            ["DeltaKind"] = r.Delta?.Kind.ToString(),
            ["Delta"] = r.Delta is { } d ? Text(d.Delta) : null,
            ["PrimaryDelta"] = r.PrimaryDelta is { } p ? Text(p) : null,
            ["PreviousReadAt"] = r.PreviousReadAt,
            ["Evaluated"] = Rules(r.Evaluated),
            ["Failed"] = Rules(r.Failed),
            ["IntervalSumOutcome"] = r.IntervalSum?.Outcome.ToString(),
            ["IntervalSumRegisterDelta"] = r.IntervalSum is { } s ? Text(s.RegisterDelta) : null,
            ["IntervalSumIntervals"] = r.IntervalSum is { } t ? Text(t.IntervalSum) : null,
            ["RawBlob"] = r.RawBlob,
        };
    }

    internal static StoredRegister? FromEntity(TableEntity e)
    {
        if (!MeterId.TryParse(e.GetString("Meter"), out MeterId meter)
            || !ReadingTypeCodes.TryParseChannelCode(e.GetString("Channel"), out MeterChannel channel)
            || !Enum.TryParse(e.GetString("Band"), out RegisterBand band)
            || e.GetDateTimeOffset("ReadAt") is not { } readAt
            || Number(e, "Value") is not { } value
            || !Enum.TryParse(e.GetString("Unit"), out EnergyUnit unit)
            || !Enum.TryParse(e.GetString("DeliveredQuality"), out ReadingQuality delivered)
            || !Enum.TryParse(e.GetString("Quality"), out ReadingQuality quality))
        {
            // Not a read this code wrote; ignored rather than failing the meter's whole history.
            return null;
        }

        RegisterDelta? delta = Enum.TryParse(e.GetString("DeltaKind"), out RegisterDeltaKind kind) && Number(e, "Delta") is { } dv ? new RegisterDelta(kind, dv) : null;
        IntervalSumCheck? sum = Enum.TryParse(e.GetString("IntervalSumOutcome"), out VeeOutcome outcome)
            ? new IntervalSumCheck(outcome, Number(e, "IntervalSumRegisterDelta") ?? 0m, Number(e, "IntervalSumIntervals") ?? 0m)
            : null;
        return new StoredRegister(
            new RegisterReading(meter, channel, band, readAt.ToUniversalTime(), value, unit, delivered, e.GetInt32("MeterDigits")),
            quality,
            Number(e, "Multiplier") ?? 1m,
            Number(e, "PrimaryValue") ?? value,
            delta,
            Number(e, "PrimaryDelta"),
            e.GetDateTimeOffset("PreviousReadAt")?.ToUniversalTime(),
            ParseRules(e.GetString("Evaluated")),
            ParseRules(e.GetString("Failed")),
            sum,
            e.GetString("RawBlob") ?? "");
    }

    internal static string Rules(VeeRules rules) =>
        string.Join(',', VeeRuleCatalog.All.Where(r => (rules & r) != 0).Select(r => r.ToString()));

    static VeeRules ParseRules(string? text)
    {
        VeeRules rules = VeeRules.None;
        foreach (string name in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse(name, out VeeRules rule))
            {
                rules |= rule;
            }
        }

        return rules;
    }

    static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    static decimal? Number(TableEntity e, string name) =>
        decimal.TryParse(e.GetString(name), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal value) ? value : null;

    /// <summary>A register band as the API names it: total, criticalPeak, peak, flat, valley.</summary>
    public static string BandName(RegisterBand band)
    {
        string name = band.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
