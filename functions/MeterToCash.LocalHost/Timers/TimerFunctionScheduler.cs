using System.Globalization;
using Cronos;
using MeterToCash.LocalHost.Discovery;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.LocalHost.Timers;

/// <summary>A timer function with its parsed schedule.</summary>
internal sealed class TimerFunction
{
    readonly CronExpression? cron;
    readonly TimeSpan? every;

    public TimerFunction(FunctionInvoker invoker, IConfiguration configuration)
    {
        Invoker = invoker;
        TimerTriggerAttribute trigger = (TimerTriggerAttribute)invoker.Function.TriggerAttribute;
        RunOnStartup = trigger.RunOnStartup;
        Schedule = ResolveSetting(trigger.Schedule, configuration);

        // The Functions host accepts a six-field NCRONTAB (seconds first), a five-field CRON, or a TimeSpan.
        string[] fields = Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            if (fields.Length == 1 && TimeSpan.TryParse(Schedule, CultureInfo.InvariantCulture, out TimeSpan interval) && interval > TimeSpan.Zero)
            {
                every = interval;
            }
            else
            {
                cron = CronExpression.Parse(Schedule, fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            }
        }
        catch (CronFormatException e)
        {
            throw new FunctionBindingException($"Function '{invoker.Function.Name}': timer schedule '{Schedule}' is not a valid NCRONTAB expression: {e.Message}");
        }
    }

    public FunctionInvoker Invoker { get; }

    public string Schedule { get; }

    public bool RunOnStartup { get; }

    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone) =>
        every is { } interval ? after + interval : cron!.GetNextOccurrence(after, zone);

    static string ResolveSetting(string schedule, IConfiguration configuration)
    {
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            string name = schedule[1..^1];
            return configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new FunctionBindingException($"Timer schedule refers to app setting '{name}', which is not set.");
        }

        return schedule;
    }
}

/// <summary>
/// Fires timer functions on their schedules (and at start-up when <c>RunOnStartup</c> is set), one invocation at a
/// time per function as the host's singleton lock does.
/// </summary>
internal sealed partial class TimerFunctionScheduler(
    IEnumerable<TimerFunction> timers,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<TimerFunctionScheduler> logger) : BackgroundService
{
    readonly Dictionary<string, SemaphoreSlim> locks = timers.ToDictionary(t => t.Invoker.Function.Name, _ => new SemaphoreSlim(1), StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, DateTimeOffset> lastRun = new(StringComparer.OrdinalIgnoreCase);

    // WEBSITE_TIME_ZONE is how an Azure Functions app chooses the zone its CRON schedules are read in.
    readonly TimeZoneInfo zone = configuration["WEBSITE_TIME_ZONE"] is { Length: > 0 } zoneId ? TimeZoneInfo.FindSystemTimeZoneById(zoneId) : TimeZoneInfo.Utc;

    public TimerFunction? Find(string name) => timers.FirstOrDefault(t => string.Equals(t.Invoker.Function.Name, name, StringComparison.OrdinalIgnoreCase));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(t => RunScheduleAsync(t, stoppingToken)));

    async Task RunScheduleAsync(TimerFunction timer, CancellationToken stoppingToken)
    {
        if (timer.RunOnStartup)
        {
            await FireAsync(timer, isPastDue: false, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset now = time.GetUtcNow();
            DateTimeOffset? next = timer.Next(now, zone);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FireAsync(timer, isPastDue: time.GetUtcNow() - next.Value > TimeSpan.FromSeconds(30), stoppingToken);
        }
    }

    /// <summary>Runs the function now; returns false when it is already running.</summary>
    public async Task<bool> FireAsync(TimerFunction timer, bool isPastDue, CancellationToken cancellationToken)
    {
        string name = timer.Invoker.Function.Name;
        SemaphoreSlim gate = locks[name];
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            LogStillRunning(logger, name);
            return false;
        }

        try
        {
            DateTimeOffset now = time.GetUtcNow();
            DateTimeOffset last;
            lock (lastRun)
            {
                last = lastRun.GetValueOrDefault(name, now);
                lastRun[name] = now;
            }

            TimerInfo info = new()
            {
                IsPastDue = isPastDue,
                ScheduleStatus = new ScheduleStatus { Last = last.UtcDateTime, Next = timer.Next(now, zone)?.UtcDateTime ?? now.UtcDateTime, LastUpdated = now.UtcDateTime },
            };
            await using AsyncServiceScope scope = scopes.CreateAsyncScope();
            await timer.Invoker.InvokeAsync(new InvocationScope(scope.ServiceProvider, info, cancellationToken));
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTimerFailed(logger, e, name);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer function {Function} is still running; this occurrence is skipped")]
    static partial void LogStillRunning(ILogger logger, string function);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    static partial void LogTimerFailed(ILogger logger, Exception exception, string function);
}
