using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Calendar;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Tariffs;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Billing;

/// <summary>The cycle an account is billed in: its id, group and period (start inclusive, end exclusive).</summary>
public sealed record CycleRef(string CycleId, string GroupCode, DateOnly PeriodStart, DateOnly PeriodEnd)
{
    public BillingPeriod Period => new(PeriodStart, PeriodEnd);
}

/// <summary>
/// Bills accounts for one period: the meter data of each meter's span (register reads at the span's midnights, or the
/// stored curves where a read is missing or demand is billed), determinants (<see cref="DeterminantsBuilder"/>), rating
/// (<see cref="TariffRater"/>), the checks (<see cref="BillChecks"/>), then the bill stored once and recorded in its cycle.
/// </summary>
/// <remarks>
/// <para>Idempotent: an account that already has a bill for the period (any revision) gets that bill back and nothing is
/// computed again, so a rerun batch, a retried activity or a cycle started twice bills once. Only what the feature owns
/// is written here; the ledger charge of an issued bill is <see cref="BillLifecycle"/>'s.</para>
/// <para>Reads per batch: the accounts' earlier bills, range queries over their partitions that return each bill's
/// status and kWh, not its document (<see cref="BillStore.ListEarlierManyAsync"/>; when a batch's accounts are numbered
/// together the range holds little else, and when they are numbered among other areas' it passes those rows too, see
/// <see cref="Infrastructure.PartitionRange"/>); an account already billed for the period (a rerun) then reads that
/// bill. The register reads at the meters' span boundaries are read for the whole batch at once
/// (<see cref="RegisterStore.AtManyAsync"/>: the batch is one area, so its frozen reads at a midnight are one query), and so are the curves, after every account's registers are known: the curves
/// of a day are one partition and <see cref="CurveStore.GetManyAsync"/> reads them with one range query per day
/// instead of a point read per meter, channel and day.</para>
/// </remarks>
public sealed class AccountBiller(
    BillStore bills,
    TariffCatalog catalog,
    HolidayCalendars calendars,
    RegisterStore registers,
    CurveStore curves,
    TimeProvider time,
    IOptions<BillingOptions> options)
{
    static readonly MeterChannel[] CurveChannels = [MeterChannel.ActiveImport, MeterChannel.ReactiveImport];

    /// <summary>The account's bill for the cycle's period: the stored one, or a new one.</summary>
    public async Task<BillEntry> BillAsync(Customer customer, CycleRef cycle, CancellationToken cancellationToken) =>
        (await BillAsync([customer], cycle, 1, cancellationToken))[0];

    /// <summary>
    /// Each account's bill for the cycle's period, in the order of <paramref name="customers"/>: the stored one, or a new
    /// one. The accounts' reads run <paramref name="parallelism"/> at a time; the curves they need are read together.
    /// </summary>
    public async Task<BillEntry[]> BillAsync(IReadOnlyList<Customer> customers, CycleRef cycle, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        IReadOnlyDictionary<string, Tariff?> tariffs = await TariffsAsync(customers.Select(c => TariffCodeOn(c, cycle)), cancellationToken);
        IReadOnlyList<EarlierBill>[] earlier = await bills.ListEarlierManyAsync([.. customers.Select(c => c.AccountNo)], parallelism, cancellationToken);
        BillEntry?[] existing = await ExistingAsync(earlier, cycle, parallelism, cancellationToken);

        int[] toMake = [.. Enumerable.Range(0, customers.Count).Where(i => existing[i] is null)];
        AccountData[] gathered = await GatherAsync([.. toMake.Select(i => (customers[i], earlier[i]))], cycle, tariffs, parallelism, cancellationToken);
        IReadOnlyDictionary<CurveKey, StoredCurve?> stored = await ReadCurvesAsync(gathered, cancellationToken);
        (StoredBill, BillStatus)[] made = [.. gathered.Select(account => Compute(account, stored, revision: 1, replaces: null)).Select(bill => (bill, StatusOf(bill)))];
        BillEntry[] added = await bills.AddManyAsync(made, parallelism, cancellationToken);
        BillEntry[] entries = [.. existing.Select(e => e!)];
        for (int k = 0; k < toMake.Length; k++)
        {
            entries[toMake[k]] = added[k];
        }

        return entries;
    }

    /// <summary>
    /// Each account's stored bill for the cycle's period (its latest revision), read by id, or null for an account not
    /// billed for it yet.
    /// </summary>
    async Task<BillEntry?[]> ExistingAsync(IReadOnlyList<EarlierBill>[] earlier, CycleRef cycle, int parallelism, CancellationToken cancellationToken)
    {
        BillEntry?[] existing = new BillEntry?[earlier.Length];
        ParallelOptions inParallel = new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, earlier.Length), inParallel, async (i, ct) =>
        {
            if (earlier[i].Where(b => b.PeriodStart == cycle.PeriodStart).MaxBy(b => b.Revision) is { } latest)
            {
                existing[i] = await bills.FindAsync(latest.BillId, ct) ?? throw new InvalidOperationException($"Bill {latest.BillId} is listed but cannot be read.");
            }
        });
        return existing;
    }

    /// <summary>A new revision of the account's bill for the period (a rebill after a cancellation or a correction).</summary>
    public async Task<BillEntry> RebillAsync(Customer customer, BillEntry replaced, CancellationToken cancellationToken)
    {
        IReadOnlyList<EarlierBill> earlier = [.. (await bills.ListAsync(customer.AccountNo, cancellationToken)).Select(EarlierBill.Of)];
        int revision = earlier.Where(b => b.PeriodStart == replaced.Bill.PeriodStart).Max(b => b.Revision) + 1;
        CycleRef cycle = new(replaced.Bill.CycleId, replaced.Bill.GroupCode, replaced.Bill.PeriodStart, replaced.Bill.PeriodEnd);
        AccountData data = (await GatherAsync([(customer, earlier)], cycle, await TariffsAsync([TariffCodeOn(customer, cycle)], cancellationToken), 1, cancellationToken))[0];
        StoredBill bill = Compute(data, await ReadCurvesAsync([data], cancellationToken), revision, replaced.Bill.BillId);
        return await bills.AddAsync(bill, StatusOf(bill), cancellationToken);
    }

    static BillStatus StatusOf(StoredBill bill) => bill.Decision == BillDecision.Issued ? BillStatus.Issued : BillStatus.Held;

    /// <summary>What an account's bill is computed from, before the curves: its tariff, calendars, and each meter's span and register reads.</summary>
    sealed record AccountData(
        Customer Customer,
        CycleRef Cycle,
        IReadOnlyList<EarlierBill> Earlier,
        string? TariffCode,
        Tariff? Tariff,
        IReadOnlyDictionary<int, HolidayCalendar?> Calendars,
        IReadOnlyList<MeterSpan> Meters);

    /// <summary>
    /// A meter in service in the period: its span (start inclusive, end exclusive), the register reads at the span's two
    /// midnights, and the curve keys of the span's days when a boundary total is missing or the tariff bills demand.
    /// </summary>
    sealed record MeterSpan(MeterId Meter, IReadOnlyList<RegisterReading> Reads, IReadOnlyList<CurveKey> CurveKeys);

    /// <summary>The tariff assigned to the account on the period's last day, or null.</summary>
    static string? TariffCodeOn(Customer customer, CycleRef cycle)
    {
        DateOnly lastDay = cycle.PeriodEnd.AddDays(-1);
        return customer.ServicePoints.SelectMany(p => p.Tariffs)
            .FirstOrDefault(t => lastDay >= t.EffectiveFrom && (t.EffectiveTo is null || lastDay < t.EffectiveTo))?.TariffCode;
    }

    /// <summary>The catalogue's tariffs of the given codes (null: not in the catalogue), each read once for the batch.</summary>
    async Task<IReadOnlyDictionary<string, Tariff?>> TariffsAsync(IEnumerable<string?> codes, CancellationToken cancellationToken)
    {
        Dictionary<string, Tariff?> found = new(StringComparer.Ordinal);
        foreach (string code in codes.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            found[code] = await catalog.GetAsync(code, cancellationToken);
        }

        return found;
    }

    /// <summary>
    /// What each account's bill is computed from: its tariff, the calendars of the period's years (read once for all the
    /// accounts), and each meter's span with its register reads at the span's two midnights. The reads of all the accounts are asked for together (<see cref="RegisterStore.AtManyAsync"/>):
    /// a batch is one area, so its boundary reads are one query per midnight.
    /// </summary>
    async Task<AccountData[]> GatherAsync(IReadOnlyList<(Customer Customer, IReadOnlyList<EarlierBill> Earlier)> accounts, CycleRef cycle, IReadOnlyDictionary<string, Tariff?> tariffs, int parallelism, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<int, HolidayCalendar?> years = await CalendarsAsync(cycle, cancellationToken);
        (AccountPlan Plan, IReadOnlyList<MeterPlan> Meters)[] planned = [.. accounts.Select(a => Plan(a.Customer, a.Earlier, cycle, tariffs))];
        MeterPlan[] meters = [.. planned.SelectMany(p => p.Meters)];
        IReadOnlyList<StoredRegister>[] reads = await registers.AtManyAsync(
            [.. meters.SelectMany(m => new[] { m.AtSpanStart, m.AtSpanEnd })], parallelism, cancellationToken);
        AccountData[] gathered = new AccountData[accounts.Count];
        for (int i = 0, next = 0; i < accounts.Count; i++)
        {
            List<MeterSpan> spans = [];
            foreach (MeterPlan meter in planned[i].Meters)
            {
                spans.Add(Span(meter, [.. reads[next].Concat(reads[next + 1]).Select(r => r.Reading)]));
                next += 2;
            }

            AccountPlan plan = planned[i].Plan;
            gathered[i] = new AccountData(plan.Customer, cycle, plan.Earlier, plan.TariffCode, plan.Tariff, years, spans);
        }

        return gathered;
    }

    /// <summary>An account before its meter data is read: its tariff (null: none, or not in the catalogue).</summary>
    sealed record AccountPlan(Customer Customer, IReadOnlyList<EarlierBill> Earlier, string? TariffCode, Tariff? Tariff);

    /// <summary>A meter in service in the period, before its reads: its span (start inclusive, end exclusive) and the reads wanted at each end.</summary>
    sealed record MeterPlan(ServicePoint Point, MeterId Meter, DateOnly SpanStart, DateOnly SpanEnd, bool Demand, RegistersAt AtSpanStart, RegistersAt AtSpanEnd);

    /// <summary>The holiday calendars of the years the cycle's period touches (null: none published for a year).</summary>
    async Task<IReadOnlyDictionary<int, HolidayCalendar?>> CalendarsAsync(CycleRef cycle, CancellationToken cancellationToken)
    {
        Dictionary<int, HolidayCalendar?> years = [];
        for (int year = cycle.PeriodStart.Year; year <= cycle.PeriodEnd.AddDays(-1).Year; year++)
        {
            years[year] = await calendars.GetAsync(year, cancellationToken);
        }

        return years;
    }

    static (AccountPlan Plan, IReadOnlyList<MeterPlan> Meters) Plan(Customer customer, IReadOnlyList<EarlierBill> earlier, CycleRef cycle, IReadOnlyDictionary<string, Tariff?> tariffs)
    {
        string? tariffCode = TariffCodeOn(customer, cycle);
        Tariff? tariff = tariffCode is null ? null : tariffs[tariffCode];
        if (tariff is null)
        {
            return (new AccountPlan(customer, earlier, tariffCode, null), []);
        }

        bool demand = tariff.Versions.Any(v => v.Basic is { PricePerKwMonth: not null });
        List<MeterPlan> meters = [];
        foreach (ServicePoint point in customer.ServicePoints)
        {
            foreach (Meter meter in point.Meters.Where(m => m.InstallDate < cycle.PeriodEnd && (m.RemovalDate is null || m.RemovalDate > cycle.PeriodStart)))
            {
                DateOnly spanStart = meter.InstallDate > cycle.PeriodStart ? meter.InstallDate : cycle.PeriodStart;
                DateOnly spanEnd = meter.RemovalDate is { } removed && removed < cycle.PeriodEnd ? removed : cycle.PeriodEnd;
                MeterId meterId = new(MeterDataKeys.Meter(meter.MeterNo.Value));
                IReadOnlyList<(MeterChannel, RegisterBand)> recorded = RecordedRegisters(meter.Registers);
                meters.Add(new MeterPlan(
                    point,
                    meterId,
                    spanStart,
                    spanEnd,
                    demand,
                    new RegistersAt(point.AreaCode, meterId, recorded, ChinaTime.DayStart(spanStart)),
                    new RegistersAt(point.AreaCode, meterId, recorded, ChinaTime.DayStart(spanEnd))));
            }
        }

        return (new AccountPlan(customer, earlier, tariffCode, tariff), meters);
    }

    /// <summary>
    /// A meter's span with its register reads at the two midnights; the curve keys of the span's days (active and reactive
    /// import) when a boundary total is missing or the tariff bills demand.
    /// </summary>
    static MeterSpan Span(MeterPlan meter, IReadOnlyList<RegisterReading> reads)
    {
        bool totalsAtBothEnds = reads.Count(r => r.Channel == MeterChannel.ActiveImport && r.Band == RegisterBand.Total) == 2;
        List<CurveKey> curveKeys = [];
        if (!totalsAtBothEnds || meter.Demand)
        {
            for (DateOnly day = meter.SpanStart; day < meter.SpanEnd; day = day.AddDays(1))
            {
                curveKeys.AddRange(CurveChannels.Select(channel => new CurveKey(meter.Point.AreaCode, meter.Meter, channel, day, 15)));
            }
        }

        return new MeterSpan(meter.Meter, reads, curveKeys);
    }

    /// <summary>The curves the accounts need, read together; an unreadable stored curve fails the read, as a single read would.</summary>
    async Task<IReadOnlyDictionary<CurveKey, StoredCurve?>> ReadCurvesAsync(IEnumerable<AccountData> accounts, CancellationToken cancellationToken)
    {
        CurveKey[] keys = [.. accounts.SelectMany(a => a.Meters).SelectMany(m => m.CurveKeys).Distinct()];
        IReadOnlyDictionary<CurveKey, StoredCurve?> found = keys.Length == 0 ? new Dictionary<CurveKey, StoredCurve?>() : await curves.GetManyAsync(keys, null, cancellationToken);
        foreach ((CurveKey key, StoredCurve? curve) in found)
        {
            if (curve is null)
            {
                throw new UnreadableCurveException(MeterDataKeys.CurvePartition(key.AreaCode, key.Day), MeterDataKeys.CurveRow(key.Meter.Value, key.Channel));
            }
        }

        return found;
    }

    StoredBill Compute(AccountData account, IReadOnlyDictionary<CurveKey, StoredCurve?> storedCurves, int revision, string? replaces)
    {
        (Customer customer, CycleRef cycle, IReadOnlyList<EarlierBill> earlier, string? tariffCode, Tariff? tariff, IReadOnlyDictionary<int, HolidayCalendar?> years, IReadOnlyList<MeterSpan> meters) = account;
        DateOnly lastDay = cycle.PeriodEnd.AddDays(-1);
        List<BillReason> reasons = [];
        if (tariff is null)
        {
            reasons.Add(new BillReason(nameof(HoldCode.MissingTariff), tariffCode is null ? $"No tariff is assigned on {lastDay:yyyy-MM-dd}." : $"Tariff '{tariffCode}' is not in the catalogue."));
            return Bill(customer, cycle, revision, replaces, tariffCode ?? "-", null, [], 0m, null, reasons);
        }

        TariffVersion version = tariff.Versions.LastOrDefault(v => v.EffectiveFrom <= lastDay) ?? tariff.Versions[0];
        Func<DateOnly, Func<DateTimeOffset, TouBand>> classifier = day =>
            DayBanding.For(tariff, day, years.GetValueOrDefault(day.Year)) is { } banding ? banding.BandOf : DefaultTouClassifier.Classify;
        List<MeterBillingData> data = [.. meters.Select(m => new MeterBillingData(
            m.Meter,
            m.Reads,
            [.. m.CurveKeys.Select(k => storedCurves[k]!).Where(c => c.ETag is not null).Select(c => c.Curve)]))];
        decimal yearToDate = earlier
            .Where(b => b.Status == BillStatus.Issued && b.PeriodStart.Year == cycle.PeriodStart.Year && b.PeriodStart < cycle.PeriodStart)
            .Sum(b => b.TotalKwh ?? 0m);
        decimal? kva = customer.ServicePoints.Sum(p => p.ContractedCapacityKva);
        DeterminantsResult result = DeterminantsBuilder.Build(new BillingInput(cycle.Period, customer.ServicePoints, data, version.Energy.IsTimeOfUse, classifier, kva, yearToDate));
        IReadOnlyList<BillMeterSource> sources = [.. result.Sources.Select(Source)];
        if (result.IsHeld)
        {
            reasons.AddRange(result.Holds.Select(h => new BillReason(h.Code.ToString(), h.Message)));
            return Bill(customer, cycle, revision, replaces, tariffCode!, null, sources, result.EstimatedShare, null, reasons);
        }

        RatingResult rating = new TariffRater(tariff).Rate(result.Determinants!);
        if (!rating.IsSuccess)
        {
            reasons.AddRange(rating.Errors.Select(e => new BillReason("Rating." + e.Rule, $"{e.Field}: {e.Message}")));
            return Bill(customer, cycle, revision, replaces, tariffCode!, result.Determinants, sources, result.EstimatedShare, null, reasons);
        }

        IReadOnlyList<decimal> lastTwelve = [.. earlier
            .Where(b => b.Status == BillStatus.Issued && b.PeriodStart < cycle.PeriodStart && b.PeriodStart >= cycle.PeriodStart.AddMonths(-12))
            .Select(b => b.TotalKwh ?? 0m)];
        BillCheckInput checks = new(result.Determinants!.TotalKwh, lastTwelve, occupied: true, rating.Bill.Total, result.EstimatedShare, tariffCode)
        {
            ClassCeilingKwh = ClassUsage.CeilingKwh(customer.Class, cycle.Period.Days, customer.ServicePoints.Count),
        };
        reasons.AddRange(BillChecks.Evaluate(checks).Select(h => new BillReason(h.Code.ToString(), h.Message)));
        return Bill(customer, cycle, revision, replaces, tariffCode!, result.Determinants, sources, result.EstimatedShare, rating.Bill, reasons);
    }

    /// <summary>The registers a meter records, per its archive flags (active import total and bands, reactive import).</summary>
    static IReadOnlyList<(MeterChannel, RegisterBand)> RecordedRegisters(MeterRegisters flags)
    {
        List<(MeterChannel, RegisterBand)> recorded = [];
        foreach ((MeterRegisters flag, MeterChannel channel, RegisterBand band) in RegisterFlags)
        {
            if ((flags & flag) != 0)
            {
                recorded.Add((channel, band));
            }
        }

        return recorded;
    }

    static readonly (MeterRegisters Flag, MeterChannel Channel, RegisterBand Band)[] RegisterFlags =
    [
        (MeterRegisters.ActiveImportTotal, MeterChannel.ActiveImport, RegisterBand.Total),
        (MeterRegisters.ActiveImportCriticalPeak, MeterChannel.ActiveImport, RegisterBand.CriticalPeak),
        (MeterRegisters.ActiveImportPeak, MeterChannel.ActiveImport, RegisterBand.Peak),
        (MeterRegisters.ActiveImportFlat, MeterChannel.ActiveImport, RegisterBand.Flat),
        (MeterRegisters.ActiveImportValley, MeterChannel.ActiveImport, RegisterBand.Valley),
        (MeterRegisters.ReactiveImport, MeterChannel.ReactiveImport, RegisterBand.Total),
    ];

    StoredBill Bill(
        Customer customer,
        CycleRef cycle,
        int revision,
        string? replaces,
        string tariffCode,
        BillDeterminants? determinants,
        IReadOnlyList<BillMeterSource> sources,
        decimal estimatedShare,
        Bill? rated,
        IReadOnlyList<BillReason> reasons)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateOnly issuedOn = ChinaTime.LocalDay(now);
        return new StoredBill
        {
            BillId = BillStore.BillId(customer.AccountNo, cycle.PeriodStart, revision),
            AccountNo = customer.AccountNo,
            CustomerName = customer.Name,
            CustomerClass = customer.Class.ToString(),
            Address = customer.Address,
            GroupCode = cycle.GroupCode,
            CycleId = cycle.CycleId,
            PeriodStart = cycle.PeriodStart,
            PeriodEnd = cycle.PeriodEnd,
            Revision = revision,
            Replaces = replaces,
            Decision = reasons.Count == 0 && rated is not null ? BillDecision.Issued : BillDecision.HeldForReview,
            Reasons = reasons,
            TariffCode = tariffCode,
            Determinants = determinants,
            Sources = sources,
            EstimatedShare = decimal.Round(estimatedShare, 4, MidpointRounding.AwayFromZero),
            Rated = rated,
            TotalFen = rated?.Total.Fen ?? 0,
            IssuedOn = issuedOn,
            DueDate = issuedOn.AddDays(options.Value.DueDays),
            CreatedAt = now,
        };
    }

    static BillMeterSource Source(MeterSource source) => new(
        source.Meter.Value,
        source.ServicePointId,
        source.SpanStart,
        source.SpanEnd,
        source.Multiplier,
        source.ActiveSource,
        source.ReactiveSource,
        [.. source.ReadsUsed.Select(r => new BillRegisterRead(RegisterStore.BandName(r.Band) + (r.Channel == MeterChannel.ActiveImport ? string.Empty : "/" + ReadingTypeCodes.ChannelCode(r.Channel)), r.ReadAt, r.Value, r.Quality.ToString()))],
        source.CurveDaysUsed.Count,
        source.Kwh,
        source.Bands,
        source.Kvarh,
        source.EstimatedKwh,
        source.MaximumDemandKw);
}
