using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
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
}
