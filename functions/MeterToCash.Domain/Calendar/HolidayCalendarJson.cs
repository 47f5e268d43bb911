using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Calendar;

/// <summary>
/// Reads and writes holiday calendars as JSON:
/// <c>{"year":2026,"source":"国办发明电〔2025〕7号","holidays":[{"name":"春节 Spring Festival","from":"2026-02-15","to":"2026-02-23"}],"makeUpWorkdays":["2026-02-14"]}</c>.
/// Dates are yyyy-MM-dd China-local days; a holiday's <c>from</c> and <c>to</c> are both inclusive. Unknown properties
/// are refused so a misspelt field cannot silently drop a holiday. The calendars of the years the library ships are
/// embedded resources (Calendar/Data/cn-{year}.json).
/// </summary>
public static class HolidayCalendarJson
{
    private const string ShippedPrefix = "MeterToCash.Domain.Calendar.Data.cn-";

    // Chinese names stay readable in stored documents; the output is only ever embedded in JSON, never in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The years whose State Council calendar ships inside the library, ascending.</summary>
    public static IReadOnlyList<int> ShippedYears { get; } =
    [
        .. StrictJson.EmbeddedNames(typeof(HolidayCalendarJson).Assembly, ShippedPrefix)
            .Select(n => int.Parse(n, CultureInfo.InvariantCulture))
            .Order(),
    ];

    /// <summary>The shipped calendar of a year, as announced by the State Council.</summary>
    /// <exception cref="ArgumentException">No calendar of that year ships with the library (see <see cref="ShippedYears"/>).</exception>
    /// <exception cref="InvalidOperationException">The shipped document is invalid (a defect of the library).</exception>
    public static HolidayCalendar LoadShipped(int year)
    {
        using Stream stream = StrictJson.OpenEmbedded(typeof(HolidayCalendarJson).Assembly, ShippedPrefix, year.ToString(CultureInfo.InvariantCulture))
            ?? throw new ArgumentException($"No shipped calendar for {year}; shipped: {string.Join(", ", ShippedYears)}.", nameof(year));
        HolidayCalendarLoadResult result = Load(stream);
        return result.Calendar ?? throw new InvalidOperationException($"The shipped {year} calendar is invalid: {string.Join("; ", result.Errors)}");
    }

    /// <summary>Loads a calendar from a UTF-8 JSON stream.</summary>
    public static HolidayCalendarLoadResult Load(Stream utf8Json) => StrictJson.Load(utf8Json, Read, Malformed);

    /// <summary>Loads a calendar from a JSON string.</summary>
    public static HolidayCalendarLoadResult Load(string json) => StrictJson.Load(json, Read, Malformed);

    /// <summary>
    /// Writes the canonical document of a calendar: properties in schema order, holidays and make-up days ascending,
    /// indented, non-ASCII characters unescaped. Equal calendars give identical text, so its hash identifies the content.
    /// </summary>
    public static string Write(HolidayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        using MemoryStream buffer = new();
        using (Utf8JsonWriter w = new(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("year", calendar.Year);
            w.WriteString("source", calendar.Source);
            w.WriteStartArray("holidays");
            foreach (HolidayPeriod period in calendar.Holidays)
            {
                w.WriteStartObject();
                w.WriteString("name", period.Name);
                w.WriteString("from", Date(period.From));
                w.WriteString("to", Date(period.To));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("makeUpWorkdays");
            foreach (DateOnly day in calendar.MakeUpWorkdays)
            {
                w.WriteStringValue(Date(day));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static HolidayCalendarLoadResult Malformed(string path, string message) =>
        new() { Errors = [new CalendarError(path, "json", message)] };

    private static HolidayCalendarLoadResult Read(JsonElement root)
    {
        List<CalendarError> errors = [];
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new() { Errors = [new("$", "type", $"must be an object, found {root.ValueKind}")] };
        }

        Unknown(root, "$", errors, "year", "source", "holidays", "makeUpWorkdays");
        int? year = null;
        if (Required(root, "$", "year", errors) is JsonElement y)
        {
            if (y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out int value))
            {
                year = value;
            }
            else
            {
                errors.Add(new("$.year", "type", $"must be a whole number, found {y.GetRawText()}"));
            }
        }

        string? source = null;
        if (Required(root, "$", "source", errors) is JsonElement s)
        {
            if (s.ValueKind == JsonValueKind.String)
            {
                source = s.GetString();
            }
            else
            {
                errors.Add(new("$.source", "type", $"must be a string, found {s.ValueKind}"));
            }
        }

        List<HolidayPeriod> holidays = [];
        foreach ((JsonElement h, string path) in Items(root, "$", "holidays", errors))
        {
            if (h.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "type", $"must be an object, found {h.ValueKind}"));
                continue;
            }

            int before = errors.Count;
            Unknown(h, path, errors, "name", "from", "to");
            string? name = null;
            if (Required(h, path, "name", errors) is JsonElement n)
            {
                name = n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (string.IsNullOrWhiteSpace(name))
                {
                    errors.Add(new(path + ".name", "required", "must be a non-empty string"));
                }
            }

            DateOnly? from = Required(h, path, "from", errors) is JsonElement f ? Day(f, path + ".from", errors) : null;
            DateOnly? to = Required(h, path, "to", errors) is JsonElement t ? Day(t, path + ".to", errors) : null;
            if (from is { } a && to is { } b && b < a)
            {
                errors.Add(new(path + ".to", "range-order", $"{b:yyyy-MM-dd} is before from {a:yyyy-MM-dd} (both ends are inclusive; use the same day for a one-day holiday)"));
            }

            if (errors.Count == before)
            {
                holidays.Add(new HolidayPeriod(name!, from!.Value, to!.Value));
            }
        }

        List<DateOnly> makeUps = [];
        foreach ((JsonElement d, string path) in Items(root, "$", "makeUpWorkdays", errors))
        {
            if (Day(d, path, errors) is { } day)
            {
                makeUps.Add(day);
            }
        }

        if (errors.Count > 0)
        {
            // The calendar rules address holidays by index; with an item missing the indices would no longer match.
            return new() { Errors = errors };
        }

        HolidayCalendar.Validate(year!.Value, source, holidays, makeUps, errors);
        return errors.Count > 0
            ? new() { Errors = errors }
            : new() { Calendar = new HolidayCalendar(year.Value, source!, holidays, makeUps) };
    }

    private static void Unknown(JsonElement e, string path, List<CalendarError> errors, params string[] allowed) =>
        errors.AddRange(StrictJson.UnknownProperties(e, path, allowed).Select(u => new CalendarError(u.Path, "unknown-property", u.Message)));

    private static JsonElement? Required(JsonElement e, string path, string name, List<CalendarError> errors)
    {
        if (e.TryGetProperty(name, out JsonElement child) && child.ValueKind != JsonValueKind.Null)
        {
            return child;
        }

        errors.Add(new($"{path}.{name}", "required", "is required"));
        return null;
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement e, string path, string name, List<CalendarError> errors)
    {
        if (Required(e, path, name, errors) is not JsonElement array)
        {
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new($"{path}.{name}", "type", $"must be an array, found {array.ValueKind}"));
            yield break;
        }

        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            yield return (item, $"{path}.{name}[{i++}]");
        }
    }

    private static DateOnly? Day(JsonElement e, string path, List<CalendarError> errors)
    {
        if (e.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(e.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
        {
            return day;
        }

        errors.Add(new(path, "date-format", $"{e.GetRawText()} is not a date yyyy-MM-dd"));
        return null;
    }
}
