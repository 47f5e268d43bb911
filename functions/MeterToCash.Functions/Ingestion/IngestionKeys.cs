using System.Globalization;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Ingestion;

/// <summary>
/// Key design of the meter-data tables and blobs, shared by every writer and reader.
/// </summary>
/// <remarks>
/// <para><b>MeterCurves</b> (one entity per meter, channel and China-local day, the packed <see cref="DayCurve"/> in one
/// binary column): PartitionKey = <c>{areaCode}-{yyyyMMdd}</c>, RowKey = <c>{METERNO}-{channel}</c>. Why:
/// head-ends deliver a day of an area's meters together, so a delivery's curves fall in few partitions and one
/// entity-group transaction carries up to 100 meter-days of an area (atomic: a failed write leaves nothing
/// half-written); "an area's load on a day" is one partition query; a meter's curve is a point read once the
/// meter's area is known from the <see cref="MeterDirectory"/>; and because the day is in the partition key, the
/// write load of an area moves to a new partition every day and one partition sees a few hundred meters × 4
/// channels per day, far below the 2,000 entities/s per-partition limit. PK = meter (the domain doc's suggestion)
/// would make area load a fan-out of hundreds of queries and forbid batching across meters.</para>
/// <para><b>MeterMonthToDate</b>: PartitionKey = <c>{METERNO}</c>, RowKey = <c>{channel}-{yyyyMM}</c>: billing reads a
/// meter's month as one point read; each entity holds every day's band totals of the month, so an update replaces
/// one day's contribution (idempotent) instead of adding a delta (which a crash between the curve and the total
/// write would lose or double).</para>
/// <para><b>Blobs</b>: <c>meter-raw/{yyyy}/{MM}/{dd}/{source}/{sha256}.{ext}</c> (received day, China local) holds every
/// payload as received; the content hash in the name makes a redelivery the same blob, written with If-None-Match *.
/// <c>meter-quarantine</c> uses the same name with <c>.json</c> for the items of that payload that were not stored.</para>
/// </remarks>
public static class IngestionKeys
{
    public const string CurvesTable = "MeterCurves", MonthToDateTable = "MeterMonthToDate";

    public const string RawContainer = "meter-raw", QuarantineContainer = "meter-quarantine";

    /// <summary>Meter numbers are case-insensitive (as in the archive index); keys use the upper-case form.</summary>
    public static string Meter(string meterNo) => meterNo.ToUpperInvariant();

    public static string CurvePartition(string areaCode, DateOnly day) =>
        areaCode + "-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string CurveRow(string meterNo, MeterChannel channel) =>
        Meter(meterNo) + "-" + ReadingTypeCodes.ChannelCode(channel);

    public static string MonthToDatePartition(string meterNo) => Meter(meterNo);

    public static string MonthToDateRow(MeterChannel channel, int year, int month) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadingTypeCodes.ChannelCode(channel)}-{year:D4}{month:D2}");

    /// <summary>Blob name of a payload: received China-local day, source label, content hash.</summary>
    public static string PayloadBlob(DateTimeOffset receivedAt, string source, string sha256Hex, string extension)
    {
        DateTimeOffset local = receivedAt.ToOffset(ChinaTime.Offset);
        return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy}/{local:MM}/{local:dd}/{source}/{sha256Hex}.{extension}");
    }
}
