using System.Text;
using MeterToCash.Domain.Calendar;

namespace MeterToCash.Tools;

/// <summary>Publishes the State Council holiday calendars the domain library ships (2025, 2026) to a running backend.</summary>
public static class CalendarSeed
{
    /// <summary>
    /// PUTs each shipped year to <c>api/calendars/{year}</c>. Publishing is idempotent: seeding again writes nothing.
    /// </summary>
    /// <param name="masterKeyClient">A client of the backend holding the master key (publishing is an admin operation).</param>
    /// <exception cref="HttpRequestException">The backend refused a calendar.</exception>
    public static async Task SeedAsync(HttpClient masterKeyClient)
    {
        ArgumentNullException.ThrowIfNull(masterKeyClient);
        foreach (int year in HolidayCalendarJson.ShippedYears)
        {
            string document = HolidayCalendarJson.Write(HolidayCalendarJson.LoadShipped(year));
            using StringContent content = new(document, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await masterKeyClient.PutAsync(new Uri($"api/calendars/{year}", UriKind.Relative), content);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Publishing the {year} calendar failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
