using System.Globalization;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Ingestion;

/// <summary>
/// Names of ingestion's own blobs: the raw payloads as received and the quarantined items. The meter-data tables
/// that ingestion writes belong to the MeterData feature (<see cref="MeterData.MeterDataKeys"/>).
/// </summary>
/// <remarks>
/// <c>meter-raw/{yyyy}/{MM}/{dd}/{source}/{sha256}.{ext}.gz</c> (received day, China local) holds every pushed payload
/// as received, gzipped (Content-Encoding gzip; the hash is of the bytes as received); a bulk file is archived once,
/// whole, as <c>…/file/{sha256}.{ext}</c>; the content hash in the name makes a redelivery the same blob, written with
/// If-None-Match *. <c>meter-quarantine</c> uses the same name with <c>.json</c> for the items of that payload that were
/// not stored.
/// </remarks>
public static class IngestionKeys
{
    public const string RawContainer = "meter-raw", QuarantineContainer = "meter-quarantine";

    /// <summary>Blob name of a payload: received China-local day, source label, content hash.</summary>
    public static string PayloadBlob(DateTimeOffset receivedAt, string source, string sha256Hex, string extension)
    {
        DateTimeOffset local = receivedAt.ToOffset(ChinaTime.Offset);
        return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy}/{local:MM}/{local:dd}/{source}/{sha256Hex}.{extension}");
    }
}
