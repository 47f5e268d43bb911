using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// How the workflows of a day (daily VEE, line loss, forecast, classification, day-total recomputation, monitoring
/// sweep) name and start their runs. A run started by a timer has the id <c>{prefix}{yyyyMMdd}</c>, one per day: a second
/// host firing the same schedule finds it and leaves it. A run started by an operator has the id
/// <c>{prefix}{yyyyMMdd}[-{yyyyMMdd}]-{HHmmssfff}</c> (UTC time of the request), so it never meets the scheduled one.
/// </summary>
public static class DurableStart
{
    /// <summary>The id of the scheduled run of <paramref name="day"/>: <c>{prefix}{yyyyMMdd}</c>.</summary>
    public static string DailyId(string prefix, DateOnly day) => prefix + Compact(day);

    /// <summary>The id of a run started by hand at <paramref name="now"/> for <paramref name="days"/>: <c>{prefix}{yyyyMMdd}-…-{HHmmssfff}</c>.</summary>
    public static string ManualId(string prefix, DateTimeOffset now, params DateOnly[] days)
    {
        ArgumentNullException.ThrowIfNull(days);
        return prefix + string.Join('-', days.Select(Compact)) + "-" + now.UtcDateTime.ToString("HHmmssfff", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Schedules <paramref name="orchestrator"/> with <paramref name="input"/> as instance <paramref name="id"/> unless an
    /// instance with that id exists, whatever its state. True when this call scheduled it.
    /// </summary>
    public static async Task<bool> OnceAsync(DurableTaskClient client, string orchestrator, string id, object input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(id, cancellationToken) is not null)
        {
            return false;
        }

        await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(id), cancellationToken);
        return true;
    }

    static string Compact(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
