using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using Microsoft.AspNetCore.Http;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>Route and query values several features read, checked the same way everywhere.</summary>
public static class QueryRules
{
    /// <summary>Page sizes every list accepts, and the one it uses when none is asked for.</summary>
    public const int DefaultPageSize = 50, MaxPageSize = 1000;

    /// <summary>True for a day inside the API's one range (<see cref="DateRules"/>: 2000–2099).</summary>
    public static bool InRange(DateOnly day) => DateRules.InRange(day);

    /// <summary>The one date rule of the API: yyyy-MM-dd, a real day, 2000–2099. Query, body and route values all use it.</summary>
    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && InRange(day);

    /// <summary>An optional enum query parameter, by <see cref="EnumNames"/>: a declared name exactly, no numbers, no comma-joined flags.</summary>
    public static T? Enum<T>(HttpRequest request, string name, List<ValidationError> errors)
        where T : struct, System.Enum
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (request.Query[name].FirstOrDefault() is not { } text)
        {
            return null;
        }

        if (EnumNames.TryParse(text, out T value))
        {
            return value;
        }

        errors.Add(new(name, "enum", $"'{name}' must be one of {EnumNames.List<T>()} (exactly, one value)."));
        return null;
    }

    /// <summary>The optional <c>pageSize</c> query parameter: a whole number 1–<see cref="MaxPageSize"/>, <see cref="DefaultPageSize"/> when absent.</summary>
    public static int PageSize(HttpRequest request, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (request.Query["pageSize"].FirstOrDefault() is not { } text)
        {
            return DefaultPageSize;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        errors.Add(new("pageSize", "range", string.Create(CultureInfo.InvariantCulture, $"'pageSize' must be a whole number from 1 to {MaxPageSize}.")));
        return DefaultPageSize;
    }

    /// <summary>The optional <c>area</c> query parameter: a transformer-area code.</summary>
    public static string? Area(HttpRequest request, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        string? area = request.Query["area"].FirstOrDefault();
        if (area is not null && !ArchiveValidator.IsKey(area, ArchiveValidator.MaxCodeLength))
        {
            errors.Add(new("area", "code-format", "'area' must be a transformer-area code (1–32 letters, digits, '-' or '_')."));
        }

        return area;
    }

    /// <summary>
    /// The optional <c>continuationToken</c> query parameter of the list <paramref name="list"/>, unwrapped by
    /// <see cref="PagingToken"/>; reports <c>continuationToken</c>/<c>invalid-continuation-token</c> for anything this API
    /// did not issue for that list.
    /// </summary>
    public static string? ContinuationToken(HttpRequest request, string list, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (request.Query["continuationToken"].FirstOrDefault() is not { } text)
        {
            return null;
        }

        if (PagingToken.TryUnwrap(list, text, out string? storageToken))
        {
            return storageToken;
        }

        errors.Add(new("continuationToken", "invalid-continuation-token", "The continuation token is not one this list issued; start again without it."));
        return null;
    }

    /// <summary>A transformer-area code in the route; reports <c>areaCode</c>/<c>code-format</c> when malformed.</summary>
    public static void AreaCode(string areaCode, List<ValidationError> errors)
    {
        if (!ArchiveValidator.IsKey(areaCode, ArchiveValidator.MaxCodeLength))
        {
            errors.Add(new("areaCode", "code-format", "Area codes are 1–32 letters, digits, '-' or '_'."));
        }
    }

    /// <summary>The required <c>day</c> query parameter: a China-local day as yyyy-MM-dd, 2000–2099.</summary>
    public static DateOnly Day(HttpRequest request, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? text = request.Query["day"].FirstOrDefault();
        if (TryParseDay(text, out DateOnly day))
        {
            return day;
        }

        errors.Add(new("day", "date-format", "'day' is required as yyyy-MM-dd (China local day), 2000–2099."));
        return default;
    }

    /// <summary>
    /// An optional list of transformer-area codes in a request body; reports <c>areas[i]</c>/<c>code-format</c> for each
    /// malformed one. Returns the codes once each, in the order given, or null when none are given (meaning every area).
    /// </summary>
    public static string[]? AreaCodes(IReadOnlyList<string>? areas, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        for (int i = 0; i < (areas?.Count ?? 0); i++)
        {
            if (!ArchiveValidator.IsKey(areas![i], ArchiveValidator.MaxCodeLength))
            {
                errors.Add(new(string.Create(CultureInfo.InvariantCulture, $"areas[{i}]"), "code-format", "Area codes are 1–32 letters, digits, '-' or '_'."));
            }
        }

        return areas is { Count: > 0 } ? [.. areas.Distinct(StringComparer.Ordinal)] : null;
    }

    /// <summary>A meter number in the route; reports <c>meterNo</c>/<c>meter-number-format</c> when malformed.</summary>
    public static MeterId MeterNo(string meterNo, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MeterId.TryParse(meterNo, out MeterId meter))
        {
            return meter;
        }

        errors.Add(new("meterNo", "meter-number-format", "Meter numbers are 1–32 letters, digits or '-'."));
        return default;
    }

    /// <summary>An account number in the route; reports <c>accountNo</c>/<c>code-format</c> when malformed.</summary>
    public static void AccountNo(string accountNo, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!ArchiveValidator.IsKey(accountNo, ArchiveValidator.MaxAccountNoLength))
        {
            errors.Add(new("accountNo", "code-format", "Account numbers are 1–20 letters, digits, '-' or '_'."));
        }
    }

    /// <summary>The optional <c>channel</c> query parameter (AI, AE, RI, RE); <paramref name="fallback"/> when absent.</summary>
    public static MeterChannel? Channel(HttpRequest request, MeterChannel? fallback, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (request.Query["channel"].FirstOrDefault() is not { } text)
        {
            return fallback;
        }

        if (ReadingTypeCodes.TryParseChannelCode(text, out MeterChannel channel))
        {
            return channel;
        }

        errors.Add(new("channel", "channel-code", "'channel' is AI, AE, RI or RE."));
        return fallback;
    }

    /// <summary>
    /// The required <c>from</c> and <c>to</c> query parameters: China-local days as yyyy-MM-dd, both inclusive, from ≤ to,
    /// at most <paramref name="maxDays"/> days.
    /// </summary>
    public static (DateOnly From, DateOnly To) DayRange(HttpRequest request, int maxDays, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        DateOnly? from = ParseDay(request, "from", errors), to = ParseDay(request, "to", errors);
        if (from is not { } f || to is not { } t)
        {
            return default;
        }

        if (t < f)
        {
            errors.Add(new("to", "range-order", "'to' must not be before 'from'."));
        }
        else if (t.DayNumber - f.DayNumber + 1 > maxDays)
        {
            errors.Add(new("to", "range-too-long", string.Create(CultureInfo.InvariantCulture, $"At most {maxDays} days per request (from and to inclusive).")));
        }

        return (f, t);
    }

    /// <summary>
    /// The required <c>from</c> and <c>to</c> query parameters as months yyyy-MM (China local), both inclusive, from ≤ to,
    /// at most <paramref name="maxMonths"/> months. Each is answered as the first day of its month.
    /// </summary>
    public static (DateOnly From, DateOnly To) MonthRange(HttpRequest request, int maxMonths, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        DateOnly? from = ParseMonth(request, "from", errors), to = ParseMonth(request, "to", errors);
        if (from is not { } f || to is not { } t)
        {
            return default;
        }

        int months = ((t.Year - f.Year) * 12) + t.Month - f.Month + 1;
        if (months < 1)
        {
            errors.Add(new("to", "range-order", "'to' must not be before 'from'."));
        }
        else if (months > maxMonths)
        {
            errors.Add(new("to", "range-too-long", string.Create(CultureInfo.InvariantCulture, $"At most {maxMonths} months per request (from and to inclusive).")));
        }

        return (f, t);
    }

    static DateOnly? ParseDay(HttpRequest request, string name, List<ValidationError> errors)
    {
        string? text = request.Query[name].FirstOrDefault();
        if (TryParseDay(text, out DateOnly day))
        {
            return day;
        }

        errors.Add(new(name, "date-format", $"'{name}' is required as yyyy-MM-dd (China local day), 2000–2099."));
        return null;
    }

    static DateOnly? ParseMonth(HttpRequest request, string name, List<ValidationError> errors)
    {
        string? text = request.Query[name].FirstOrDefault();
        if (text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly month) && month.Year is >= 2000 and <= 2099)
        {
            return month;
        }

        errors.Add(new(name, "month-format", $"'{name}' is required as yyyy-MM (China local), 2000–2099."));
        return null;
    }
}
