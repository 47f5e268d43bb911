using MeterToCash.LocalHost.Discovery;
using MeterToCash.LocalHost.Durable;
using MeterToCash.LocalHost.Timers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeterToCash.Functions.Tests.LocalHost;

public class TimerSchedulerTests
{
    [Fact]
    public async Task Scheduler_RunOnStartupTimer_FiresOnceAtStartWithTimerInfo()
    {
        StartupFunctions.Fired = new TaskCompletionSource<TimerInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        FunctionDescriptor descriptor = FunctionCatalog.Discover([typeof(StartupFunctions)]).Single();
        IConfiguration configuration = new ConfigurationBuilder().Build();
        TimerFunction timer = new(new FunctionInvoker(descriptor, FunctionTaskRegistration.NoExtraBinding), configuration);
        await using ServiceProvider services = new ServiceCollection().BuildServiceProvider();
        using TimerFunctionScheduler scheduler = new([timer], services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, configuration, NullLogger<TimerFunctionScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        TimerInfo info = await StartupFunctions.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await scheduler.StopAsync(CancellationToken.None);

        Assert.True(timer.RunOnStartup);
        Assert.False(info.IsPastDue);
        Assert.NotNull(info.ScheduleStatus);
        Assert.True(info.ScheduleStatus!.Next > info.ScheduleStatus.LastUpdated, "the next occurrence (daily at 03:00) lies after this run");
    }

    public sealed class StartupFunctions
    {
        public static TaskCompletionSource<TimerInfo> Fired { get; set; } = new();

        [Function("WarmUp")]
        public static void Run([TimerTrigger("0 0 3 * * *", RunOnStartup = true)] TimerInfo timer) => Fired.TrySetResult(timer);
    }
}
