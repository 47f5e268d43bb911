using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Forecasting;

/// <summary>Settings <c>Forecast__*</c> of the day-ahead load forecast. Every one has a default.</summary>
public sealed class ForecastOptions
{
    public const string Section = "Forecast";

    /// <summary>NCRONTAB (seconds first, China local) of the nightly forecast of tomorrow, read as <c>%Forecast__Schedule%</c>; after the daily VEE run (01:30) has completed yesterday.</summary>
    [Required]
    public string Schedule { get; set; } = "0 15 2 * * *";

    /// <summary>Transformer areas per sub-orchestration of a run.</summary>
    [Range(1, 1000)]
    public int AreasPerBatch { get; set; } = 40;

    /// <summary>Areas per activity inside a batch: one activity trains and forecasts these in sequence.</summary>
    [Range(1, 100)]
    public int AreasPerActivity { get; set; } = 5;

    /// <summary>Weather station of every area not listed in <see cref="Stations"/>; empty = none (the model then trains without temperature).</summary>
    public string DefaultStation { get; set; } = string.Empty;

    /// <summary>Area-to-station map, <c>TA0001=SH-PD;TA0002=SH-MH</c>; areas not listed use <see cref="DefaultStation"/>.</summary>
    public string Stations { get; set; } = string.Empty;

    /// <summary>Largest CSV upload (history for a backtest, weather), bytes; 413 above.</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Station of an area: its entry in <see cref="Stations"/>, else <see cref="DefaultStation"/>; null when neither.</summary>
    public string? StationOf(string areaCode)
    {
        foreach (string pair in Stations.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(pair[..eq].Trim(), areaCode, StringComparison.Ordinal))
            {
                return pair[(eq + 1)..].Trim();
            }
        }

        return string.IsNullOrWhiteSpace(DefaultStation) ? null : DefaultStation.Trim();
    }
}
