using System.Globalization;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// Key design of the meter-data tables, shared by every writer and reader (all inside the MeterData feature).
/// </summary>
/// <remarks>
/// <para><b>MeterCurves{yyyyMMdd}</b> (one table per China-local day; one entity per meter and channel, the packed
/// <see cref="DayCurve"/> in one binary column): PartitionKey = <c>{areaCode}-{yyyyMMdd}</c>, RowKey = <c>{METERNO}-{channel}</c>. Why:
/// head-ends deliver a day of an area's meters together, so a delivery's curves fall in few partitions and one
/// entity-group transaction carries up to 100 meter-days of an area (atomic: a failed write leaves nothing
/// half-written); "an area's load on a day" is one partition query; a meter's curve is a point read once the
/// meter's area is known from the <see cref="MeterDirectory"/>; and because the day is in the partition key, the
/// write load of an area moves to a new partition every day and one partition sees a few hundred meters × 4
/// channels per day, far below the 2,000 entities/s per-partition limit. PK = meter (the domain doc's suggestion)
/// would make area load a fan-out of hundreds of queries and forbid batching across meters. A table per day (Azure's
/// high-volume delete pattern) because interval data is kept for a retention period and Table storage has no TTL:
/// dropping a day's table is one request where deleting its entities would be a million; every access names its day
/// already, so no read crosses tables it did not before (a range of days was a point read per day before too). The day
/// stays in the PartitionKey so keys read the same in every tool. Azurite also profits: it scans a whole table for a
/// query and keeps sorted key indexes per table, so its cost per request grew with everything ever stored.</para>
/// <para><b>MeterDayTotals</b> (month-to-date as day blocks): PartitionKey = <c>{areaCode}-{yyyyMM}</c>, RowKey =
/// <c>{channel}-{dd}</c>; one entity holds every meter's band totals of that area, channel and day, with the curve
/// revision each was derived from. Why: a delivery is an area-day, so the totals it changes are one entity: one point
/// read and one ETag-conditional write per delivery. The former design (one entity per meter and month, RowKey =
/// <c>{METERNO}-{channel}</c>) needed a range query and a transaction over a hundred entities that grew through the
/// month, and cost as much storage work as the curves themselves. A meter's month is one RowKey-range query over at
/// most 31 blocks (billing reads a whole area's month with the same query); the area comes from the
/// <see cref="MeterDirectory"/>, as for curves. Each entry is replaced, not added to, so an update is idempotent and a
/// crash between the curve and the total write is repaired by the next delivery. An entity holds at most 1 MiB, about
/// 6,500 meters per area-day-channel (a 台区 has hundreds). Like a curve, a meter's day is filed under the area it
/// belongs to when the data arrives; a meter moved mid-month has its month split across the two areas' partitions (the
/// query API reads the current area's).</para>
/// </remarks>
public static class MeterDataKeys
{
    /// <summary>Prefix of the per-day curve tables (<see cref="CurvesTable"/>).</summary>
    public const string CurvesTablePrefix = "MeterCurves";

    public const string MonthToDateTable = "MeterDayTotals", RegistersTable = "MeterRegisters", RejectionsTable = "VeeRejections";

    /// <summary>
    /// <b>MeterFrozenRegisters{yyyyMM}</b> (the daily frozen reads, 日冻结, filed by area: a copy of every register read
    /// stored at a China-local midnight, one table per month of the midnight's day): PartitionKey = <see cref="FrozenPartition"/> (<c>{areaCode}-{yyyyMMdd}</c>, the day the
    /// midnight starts), RowKey = <see cref="FrozenRow"/> (<c>{METERNO}!{register code}</c>). Why: <b>MeterRegisters</b> is
    /// partitioned by meter for validation, so billing a batch of an area's accounts read two partitions per meter; here the
    /// boundary reads of a whole batch are one RowKey range of one partition per boundary. The copy is written after the
    /// reads themselves are added (upsert, idempotent), so it can lack a read a crash left out but never holds one that is
    /// not stored, and never a different value (a stored read is never replaced): <see cref="RegisterStore.AtManyAsync"/>
    /// falls back to the meter's own partition for any meter whose wanted registers are not all here. '!' sorts below
    /// every character of a meter number, so a RowKey range from the lowest meter to the highest holds every meter in
    /// between with all its registers. A table per month keeps what a query meets to one month's midnights on Azurite,
    /// which answers every query by scanning its whole table (on Azure a query reads only its range).
    /// </summary>
    public static string FrozenRegistersTable(DateOnly day) =>
        FrozenRegistersTablePrefix + day.ToString("yyyyMM", CultureInfo.InvariantCulture);

    /// <summary>Prefix of the per-month frozen-read tables (<see cref="FrozenRegistersTable"/>).</summary>
    public const string FrozenRegistersTablePrefix = "MeterFrozenRegisters";

    /// <summary>
    /// <b>MeterSpikeReferences</b> (each series' stored <see cref="SpikeReference"/>, see <see cref="SpikeReferenceStore"/>):
    /// PartitionKey = area code, RowKey = <see cref="SpikeReferencesRow"/>; one entity per area holds every series of the
    /// area with the day its window ends. Why: ingestion needs the references of a delivery's area, which is one point read
    /// (cached, like the meter directory), and the daily VEE run of an area-day replaces them in one conditional write.
    /// </summary>
    public const string SpikeReferencesTable = "MeterSpikeReferences";

    /// <summary>RowKey of an area's spike references (the statistic they hold).</summary>
    public const string SpikeReferencesRow = "P95";

    /// <summary>
    /// <b>VeeRejections</b> (counts of quarantined interval values, for VEE statistics): PartitionKey =
    /// <c>{areaCode}-{yyyyMMdd}</c> (the values' China-local day; <c>~unplaced-{yyyyMMdd}</c> by received day for values of
    /// meters not in the archive and items too broken to name a meter), RowKey = <c>{payload key}~{channel}</c> (the payload key hashes the name of its quarantine blob: content hash, or file id and batch). One
    /// row per payload, written with upsert, so a redelivery rewrites the same counts instead of adding to them; the
    /// statistics of an area-day are one partition query. Written only for payloads with rejections.
    /// </summary>
    public static string RejectionPartition(string? areaCode, DateOnly day) =>
        (areaCode ?? "~unplaced") + "-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Meter numbers are case-insensitive (as in the archive index); keys use the upper-case form.</summary>
    public static string Meter(string meterNo) => meterNo.ToUpperInvariant();

    /// <summary>The curve table of a China-local day: <c>MeterCurves{yyyyMMdd}</c>.</summary>
    public static string CurvesTable(DateOnly day) =>
        CurvesTablePrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The day of a curve table's name, or null for a name that is not one.</summary>
    public static DateOnly? DayOfCurvesTable(string tableName) =>
        tableName.Length == CurvesTablePrefix.Length + 8 && tableName.StartsWith(CurvesTablePrefix, StringComparison.Ordinal)
        && DateOnly.TryParseExact(tableName.AsSpan(CurvesTablePrefix.Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            ? day
            : null;

    public static string CurvePartition(string areaCode, DateOnly day) =>
        areaCode + "-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string CurveRow(string meterNo, MeterChannel channel) =>
        Meter(meterNo) + "-" + ReadingTypeCodes.ChannelCode(channel);

    /// <summary>The channel of a curve row key (its code follows the last '-'; meter numbers may contain '-', codes do not).</summary>
    public static bool TryCurveRowChannel(string rowKey, out MeterChannel channel)
    {
        int dash = rowKey.LastIndexOf('-');
        channel = default;
        return dash > 0 && ReadingTypeCodes.TryParseChannelCode(rowKey.AsSpan(dash + 1), out channel);
    }

    public static string MonthToDatePartition(string areaCode, int year, int month) =>
        string.Create(CultureInfo.InvariantCulture, $"{areaCode}-{year:D4}{month:D2}");

    /// <summary>RowKey of a day block of month-to-date totals: <c>{channel}-{dd}</c>, so a channel's month is one RowKey range.</summary>
    public static string DayTotalsRow(MeterChannel channel, DateOnly day) =>
        ReadingTypeCodes.ChannelCode(channel) + "-" + day.Day.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The day of a day block, from its keys (<c>{area}-{yyyyMM}</c>, <c>{channel}-{dd}</c>).</summary>
    public static DateOnly DayOfDayTotalsRow(string partitionKey, string rowKey) => new(
        int.Parse(partitionKey.AsSpan(partitionKey.Length - 6, 4), CultureInfo.InvariantCulture),
        int.Parse(partitionKey.AsSpan(partitionKey.Length - 2, 2), CultureInfo.InvariantCulture),
        int.Parse(rowKey.AsSpan(rowKey.Length - 2, 2), CultureInfo.InvariantCulture));

    public static string RegisterPartition(string meterNo) => Meter(meterNo);

    /// <summary>A register's code in keys: channel and TOU field, e.g. <c>AI-0</c> (total active import), <c>AI-2</c> (peak).</summary>
    public static string RegisterCode(MeterChannel channel, RegisterBand band) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadingTypeCodes.ChannelCode(channel)}-{(int)band}");

    /// <summary>The time part of a register RowKey: ticks to <see cref="DateTimeOffset.MaxValue"/>, so later reads sort first.</summary>
    public static string RegisterTime(DateTimeOffset readAt) =>
        (DateTimeOffset.MaxValue.UtcTicks - readAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// RowKey of a register read in <b>MeterRegisters</b>: <c>{time}~{register code}|{METERNO}</c>. The time first keeps a
    /// meter's reads newest first and every register at one instant one RowKey range (<c>{time}~</c> to <c>{time}~~</c>;
    /// '|' and the meter's characters sort below '~'). The meter at the end, redundant with the partition, keeps every
    /// meter's keys apart: Azurite finds a row by its RowKey and then compares every row sharing it, and without the
    /// suffix every meter's read at one midnight shared one key, so each insert compared all the meters' reads of that
    /// instant. On Azure it costs only bytes. A local store written before the suffix holds rows whose keys no longer
    /// match (a repeat of such a read is not recognised by its key): start it afresh (<c>FRESH=1 ./run.sh</c>).
    /// </summary>
    public static string RegisterRow(string meterNo, MeterChannel channel, RegisterBand band, DateTimeOffset readAt) =>
        RegisterTime(readAt) + "~" + RegisterCode(channel, band) + "|" + Meter(meterNo);

    /// <summary>True when an instant is a China-local midnight, the instant of a daily frozen read.</summary>
    public static bool IsFrozenInstant(DateTimeOffset readAt) => ChinaTime.DayStart(ChinaTime.LocalDay(readAt)) == readAt;

    /// <summary>PartitionKey of the frozen reads of an area at the midnight that starts <paramref name="day"/>.</summary>
    public static string FrozenPartition(string areaCode, DateOnly day) =>
        areaCode + "-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>RowKey of a meter's frozen read of one register: <c>{METERNO}!{channel}-{band}</c>.</summary>
    public static string FrozenRow(string meterNo, MeterChannel channel, RegisterBand band) =>
        Meter(meterNo) + "!" + RegisterCode(channel, band);

    /// <summary>The lowest RowKey of a meter's frozen reads.</summary>
    public static string FrozenRowsFrom(string meterNo) => Meter(meterNo) + "!";

    /// <summary>Above every RowKey of a meter's frozen reads (register codes sort below '~').</summary>
    public static string FrozenRowsTo(string meterNo) => Meter(meterNo) + "!~";
}
