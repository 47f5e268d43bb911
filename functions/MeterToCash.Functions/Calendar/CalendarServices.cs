using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Calendar;

public static class CalendarServices
{
    /// <summary>
    /// The holiday calendar: its table, the cached <see cref="HolidayCalendars"/> other features read, and the HTTP API.
    /// Features that must hear of a publish register an <see cref="ICalendarChangeListener"/>.
    /// </summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CalendarStore>();
        services.AddStartupStorage(new StorageResources(Tables: [CalendarStore.TableName]));
        services.AddSingleton<HolidayCalendars>();
        return services;
    }
}
