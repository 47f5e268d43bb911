using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Forecasting;

/// <summary>
/// The forecast feature's own tables: <c>weather</c> (station-days of temperature), <c>forecasts</c> (area-days of
/// forecasts with their model version) and <c>forecastareadays</c> (closed area-days of load, read once from the meter
/// data and kept, so the nightly training does not re-read three months of curves per area). Created once at start-up
/// (<see cref="Infrastructure.StorageStartup"/>).
/// </summary>
public sealed class ForecastStorage(TableServiceClient tables)
{
    public const string WeatherTable = "weather";
    public const string ForecastsTable = "forecasts";
    public const string AreaDaysTable = "forecastareadays";

    public TableClient Weather => tables.GetTableClient(WeatherTable);

    public TableClient Forecasts => tables.GetTableClient(ForecastsTable);

    public TableClient AreaDays => tables.GetTableClient(AreaDaysTable);

    /// <summary>96 doubles, little-endian (NaN = missing): exact, so a value read back from a cache equals the one computed.</summary>
    public static byte[] Pack(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        byte[] bytes = new byte[values.Count * 8];
        for (int i = 0; i < values.Count; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    /// <summary>The inverse of <see cref="Pack"/>; null when the bytes are not 96 values.</summary>
    public static double[]? Unpack(byte[]? bytes)
    {
        if (bytes is null || bytes.Length != 96 * 8)
        {
            return null;
        }

        double[] values = new double[96];
        for (int i = 0; i < 96; i++)
        {
            values[i] = BitConverter.ToDouble(bytes, i * 8);
        }

        return values;
    }

    /// <summary>True for a 404 of a table that does not exist (yet).</summary>
    public static bool IsNotFound(RequestFailedException e) => e?.Status == 404;
}
