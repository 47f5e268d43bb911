using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using Microsoft.AspNetCore.Http;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>Route and query values several features read, checked the same way everywhere.</summary>
public static class QueryRules
{
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
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) && day.Year is >= 2000 and <= 2099)
        {
            return day;
        }

        errors.Add(new("day", "date-format", "'day' is required as yyyy-MM-dd (China local day), 2000–2099."));
        return default;
    }

    /// <summary>An optional list of transformer-area codes in a request body; reports <c>areas[i]</c>/<c>code-format</c> for each malformed one.</summary>
    public static void AreaCodes(IReadOnlyList<string>? areas, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        for (int i = 0; i < (areas?.Count ?? 0); i++)
        {
            if (!ArchiveValidator.IsKey(areas![i], ArchiveValidator.MaxCodeLength))
            {
                errors.Add(new(string.Create(CultureInfo.InvariantCulture, $"areas[{i}]"), "code-format", "Area codes are 1–32 letters, digits, '-' or '_'."));
            }
        }
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
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) && day.Year is >= 2000 and <= 2099)
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
