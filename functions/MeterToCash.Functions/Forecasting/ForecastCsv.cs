using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Domain.MeterData;
using nietras.SeparatedValues;

namespace MeterToCash.Functions.Forecasting;

/// <summary>
/// The forecast feature's CSV uploads, read with Sep: an area's load history (<c>timestamp,kw[,temperature]</c>) and a
/// station's weather (<c>timestamp,temperature[,kind]</c>). Header names are matched case-insensitively; the separator
/// is a comma. Timestamps are ISO 8601; one without an offset is China local time (UTC+8, no daylight saving, so every
/// local time names exactly one instant). Every broken rule is reported with its row (1 = the first data row) and column,
/// at most <see cref="MaxErrors"/> of them.
/// </summary>
public static class ForecastCsv
{
    /// <summary>Most data rows a file may have (about 5.7 years of 15-minute values).</summary>
    public const int MaxRows = 200_000;

    /// <summary>Errors reported at most; parsing stops there.</summary>
    public const int MaxErrors = 20;

    static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>Parses a load history; the observations, or the errors (field, rule, message) when any rule is broken.</summary>
    public static (IReadOnlyList<LoadObservation> Rows, IReadOnlyList<ValidationError> Errors) ParseLoad(string text)
    {
        List<LoadObservation> rows = [];
        List<ValidationError> errors = Read(text, ["timestamp", "kw"], ["temperature"], (row, cols, n, errs) =>
        {
            DateTimeOffset? at = Timestamp(row[cols["timestamp"]].ToString(), n, errs);
            double? kw = Number(row[cols["kw"]].ToString(), n, "kw", 0, 1e9, errs);
            double? t = cols.TryGetValue("temperature", out int ti) && row[ti].ToString().Trim().Length > 0
                ? Number(row[ti].ToString(), n, "temperature", -60, 60, errs)
                : null;
            if (at is { } a && kw is { } k)
            {
                rows.Add(new LoadObservation(a, k, t));
            }
        });
        return (rows, errors);
    }

    /// <summary>Parses a weather file; kind is <c>observation</c> (default) or <c>forecast</c>.</summary>
    public static (IReadOnlyList<WeatherReading> Rows, IReadOnlyList<ValidationError> Errors) ParseWeather(string text)
    {
        List<WeatherReading> rows = [];
        List<ValidationError> errors = Read(text, ["timestamp", "temperature"], ["kind"], (row, cols, n, errs) =>
        {
            DateTimeOffset? at = Timestamp(row[cols["timestamp"]].ToString(), n, errs);
            double? t = Number(row[cols["temperature"]].ToString(), n, "temperature", -60, 60, errs);
            WeatherKind kind = WeatherKind.Observation;
            if (cols.TryGetValue("kind", out int ki))
            {
                string k = row[ki].ToString().Trim();
                if (k.Equals("forecast", StringComparison.OrdinalIgnoreCase))
                {
                    kind = WeatherKind.Forecast;
                }
                else if (k.Length > 0 && !k.Equals("observation", StringComparison.OrdinalIgnoreCase))
                {
                    errs.Add(new(Field(n, "kind"), "weather-kind", "'kind' is observation or forecast."));
                }
            }

            if (at is { } a && t is { } v)
            {
                rows.Add(new WeatherReading(a, v, kind));
            }
        });
        return (rows, errors);
    }

    delegate void RowReader(SepReader.Row row, Dictionary<string, int> columns, int rowNumber, List<ValidationError> errors);

    static List<ValidationError> Read(string text, string[] required, string[] optional, RowReader read)
    {
        List<ValidationError> errors = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new("body", "required", "The CSV body is empty."));
            return errors;
        }

        SepReader reader;
        try
        {
            reader = Sep.New(',').Reader(o => o with { Unescape = true, Trim = SepTrim.All }).FromText(text);
        }
        catch (ArgumentException)
        {
            // Sep indexes the header by name and refuses a name that appears twice.
            errors.Add(new("header", "duplicate-column", "A column name appears twice in the header."));
            return errors;
        }
        catch (InvalidDataException e)
        {
            errors.Add(new("body", "csv-structure", "The CSV is malformed: " + e.Message));
            return errors;
        }

        using (reader)
        try
        {
            Dictionary<string, int> columns = new(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < reader.Header.ColNames.Count; i++)
            {
                string name = reader.Header.ColNames[i].Trim();
                if (!columns.TryAdd(name, i))
                {
                    errors.Add(new("header", "duplicate-column", $"Column '{name}' appears twice."));
                }
            }

            foreach (string name in required.Where(r => !columns.ContainsKey(r)))
            {
                errors.Add(new("header", "missing-column", $"The header needs the columns {string.Join(", ", required)} (optional: {string.Join(", ", optional)}); '{name}' is missing."));
            }

            if (errors.Count > 0)
            {
                return errors;
            }

            int n = 0;
            foreach (SepReader.Row row in reader)
            {
                n++;
                if (n > MaxRows)
                {
                    errors.Add(new("body", "max-rows", string.Create(CultureInfo.InvariantCulture, $"At most {MaxRows:N0} data rows per file.")));
                    break;
                }

                read(row, columns, n, errors);
                if (errors.Count >= MaxErrors)
                {
                    break;
                }
            }

            if (n == 0)
            {
                errors.Add(new("body", "no-rows", "The CSV has a header but no data rows."));
            }
        }
        catch (InvalidDataException e)
        {
            // Sep refuses a row whose column count differs from the header's, and an unterminated quote.
            errors.Add(new("body", "csv-structure", "The CSV is malformed: " + e.Message));
        }

        return errors;
    }

    static DateTimeOffset? Timestamp(string text, int row, List<ValidationError> errors)
    {
        text = text.Trim();
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at) && HasOffset(text))
        {
            return InRange(at, row, errors);
        }

        if (DateTime.TryParseExact(text, Formats.Select(f => f.TrimEnd('K')).ToArray(), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
        {
            return InRange(new DateTimeOffset(local, ChinaTime.Offset), row, errors);
        }

        errors.Add(new(Field(row, "timestamp"), "timestamp-format", "'timestamp' is ISO 8601, e.g. 2026-11-03T08:15:00+08:00 (no offset: China local time)."));
        return null;
    }

    static DateTimeOffset? InRange(DateTimeOffset at, int row, List<ValidationError> errors)
    {
        if (at.Year is >= 2000 and <= 2099)
        {
            return at.ToUniversalTime();
        }

        errors.Add(new(Field(row, "timestamp"), "timestamp-range", "'timestamp' must be in 2000–2099."));
        return null;
    }

    static bool HasOffset(string text) => text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    static double? Number(string text, int row, string column, double min, double max, List<ValidationError> errors)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(new(Field(row, column), "number-range", string.Create(CultureInfo.InvariantCulture, $"'{column}' is a number from {min} to {max}.")));
        return null;
    }

    static string Field(int row, string column) => string.Create(CultureInfo.InvariantCulture, $"rows[{row}].{column}");

    /// <summary>True for a station code: 1–32 letters, digits, '-' or '_' (the archive's key rule).</summary>
    public static bool IsStation(string station) => ArchiveValidator.IsKey(station, ArchiveValidator.MaxCodeLength);
}
