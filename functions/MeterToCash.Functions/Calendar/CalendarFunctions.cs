using System.Globalization;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Calendar;

/// <summary>
/// The holiday calendar API (节假日): publish a year's State Council calendar (master key), read it back, list the
/// published years, and the day types of a range.
/// </summary>
public sealed class CalendarFunctions(
    CalendarStore store,
    HolidayCalendars calendars,
    IEnumerable<ICalendarChangeListener> listeners,
    ILogger<CalendarFunctions> logger)
{
    public const int MinYear = 2000, MaxYear = 2099;

    const int MaxBodyBytes = 64 * 1024;

    [Function(nameof(PutCalendar))]
    public async Task<IActionResult> PutCalendar(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "calendars/{year}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string year)
    {
        if (ParseYear(year) is not int routeYear)
        {
            return YearProblem();
        }

        (MemoryStream? body, ObjectResult? problem) = await ReadBodyAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        HolidayCalendarLoadResult loaded;
        using (body)
        {
            loaded = HolidayCalendarJson.Load(body!);
        }

        if (!loaded.IsSuccess)
        {
            return Problems.Validation(loaded.Errors.Select(e => new ValidationError(Field(e.Path), e.Rule, e.Message)).ToList());
        }

        if (loaded.Calendar.Year != routeYear)
        {
            return Problems.Validation("year", "route-mismatch", $"The body is the calendar of {loaded.Calendar.Year}; PUT it to calendars/{loaded.Calendar.Year}, not calendars/{routeYear}.");
        }

        (PublishOutcome outcome, StoredCalendar? stored) = await store.PublishAsync(loaded.Calendar, request.HttpContext.RequestAborted);
        if (outcome == PublishOutcome.Contended || stored is null)
        {
            return Problems.Conflict($"The {routeYear} calendar is being published concurrently; retry.");
        }

        bool changed = outcome != PublishOutcome.Unchanged;
        if (changed)
        {
            calendars.Forget(routeYear);
            logger.CalendarPublished(routeYear, outcome, stored.Revision, stored.Sha256);

            // The write is done: listeners are told even if the client has gone away meanwhile.
            await NotifyAsync(routeYear, stored.Revision, durable);
        }

        HolidayCalendar c = stored.Calendar;
        object answer = new
        {
            year = c.Year,
            revision = stored.Revision,
            sha256 = stored.Sha256,
            publishedAt = stored.PublishedAt,
            changed,
            days = new
            {
                workdays = c.CountOf(DayType.Workday),
                weekendDays = c.CountOf(DayType.Weekend),
                holidays = c.CountOf(DayType.Holiday),
                makeUpWorkdays = c.MakeUpWorkdays.Count,
            },
        };
        return new ObjectResult(answer) { StatusCode = outcome == PublishOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK };
    }

    [Function(nameof(ListCalendars))]
    public async Task<IActionResult> ListCalendars(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "calendars")] HttpRequest request)
    {
        IReadOnlyList<PublishedYear> years = await store.ListAsync(request.HttpContext.RequestAborted);
        return new OkObjectResult(new { calendars = years.Select(y => new { y.Year, y.Revision, y.Sha256, y.PublishedAt }) });
    }

    /// <summary>The calendar document exactly as stored (so it can be edited and PUT back); revision and hash in headers.</summary>
    [Function(nameof(GetCalendar))]
    public async Task<IActionResult> GetCalendar(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "calendars/{year}")] HttpRequest request,
        string year)
    {
        if (ParseYear(year) is not int y)
        {
            return YearProblem();
        }

        if (await store.FindAsync(y, request.HttpContext.RequestAborted) is not { } stored)
        {
            return Problems.NotFound($"No holiday calendar is published for {y}.");
        }

        request.HttpContext.Response.Headers.ETag = $"\"{stored.Sha256}\"";
        request.HttpContext.Response.Headers["X-Calendar-Revision"] = stored.Revision.ToString(CultureInfo.InvariantCulture);
        return new ContentResult { Content = stored.Document, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    /// <summary>
    /// Day types of <c>from</c>..<c>to</c> (both inclusive, inside the year). For a year not published they are by weekday
    /// and the answer says <c>provisional: true</c>.
    /// </summary>
    [Function(nameof(GetCalendarDays))]
    public async Task<IActionResult> GetCalendarDays(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "calendars/{year}/days")] HttpRequest request,
        string year)
    {
        if (ParseYear(year) is not int y)
        {
            return YearProblem();
        }

        List<ValidationError> errors = [];
        (DateOnly from, DateOnly to) = QueryRules.DayRange(request, 366, errors);
        if (errors.Count == 0)
        {
            if (from.Year != y)
            {
                errors.Add(new("from", "in-year", $"'from' must be a day of {y}."));
            }

            if (to.Year != y)
            {
                errors.Add(new("to", "in-year", $"'to' must be a day of {y}."));
            }
        }

        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        HolidayCalendar? calendar = await calendars.GetAsync(y, request.HttpContext.RequestAborted);
        List<object> days = [];
        for (DateOnly day = from; day <= to; day = day.AddDays(1))
        {
            DayType type = calendar?.DayTypeOf(day) ?? PlainDayTypes.Of(day);
            days.Add(new
            {
                day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                dayType = type switch { DayType.Workday => "workday", DayType.Weekend => "weekend", _ => "holiday" },
                holiday = calendar?.Holidays.FirstOrDefault(h => h.Contains(day))?.Name,
                makeUpWorkday = calendar is not null && calendar.MakeUpWorkdays.Contains(day),
            });
        }

        return new OkObjectResult(new { year = y, source = calendar?.Source, provisional = calendar is null, days });
    }

    async Task NotifyAsync(int year, int revision, DurableTaskClient durable)
    {
        foreach (ICalendarChangeListener listener in listeners)
        {
            try
            {
                await listener.CalendarPublishedAsync(year, revision, durable, CancellationToken.None);
            }
#pragma warning disable CA1031 // One failing listener must neither undo the publish nor keep the others from hearing of it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.CalendarListenerFailed(e, listener.GetType().Name, year, revision);
            }
        }
    }

    static int? ParseYear(string text) =>
        text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int y) && y is >= MinYear and <= MaxYear ? y : null;

    static ObjectResult YearProblem() =>
        Problems.Validation("year", "range", $"The year in the route must be {MinYear}–{MaxYear}.");

    /// <summary>A calendar error's JSON path as the API names fields elsewhere: without the leading <c>$.</c>, <c>body</c> for the document itself.</summary>
    static string Field(string path) => path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    static async Task<(MemoryStream? Body, ObjectResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {MaxBodyBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Validation("Content-Type", "json-required", "Send the body as application/json.", StatusCodes.Status415UnsupportedMediaType));
        }

        MemoryStream buffer = new();
        try
        {
            await RequestJson.CopyBoundedAsync(request.Body, buffer, MaxBodyBytes, request.HttpContext.RequestAborted);
        }
        catch (BodyTooLargeException)
        {
            await buffer.DisposeAsync();
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {MaxBodyBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        if (buffer.Length == 0)
        {
            await buffer.DisposeAsync();
            return (null, Problems.Validation("body", "required", "The request body is empty."));
        }

        buffer.Position = 0;
        return (buffer, null);
    }
}
