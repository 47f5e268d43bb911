using MeterToCash.LocalHost.Discovery;
using MeterToCash.LocalHost.Durable;
using MeterToCash.LocalHost.Timers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;

namespace MeterToCash.Functions.Tests.LocalHost;

public class FunctionDiscoveryTests
{
    [Fact]
    public void Discover_FunctionsApp_FindsEveryTriggerKindItUses()
    {
        IReadOnlyList<FunctionDescriptor> functions = FunctionCatalog.Discover(typeof(MeterToCash.Functions.MeterToCashServices).Assembly);

        Assert.Equal(
            [TriggerKind.Http, TriggerKind.Timer, TriggerKind.Orchestration, TriggerKind.Activity],
            functions.Select(f => f.Trigger).Distinct().Order());
        Assert.Contains(functions, f => f.Name == "Health" && f.Trigger == TriggerKind.Http);
        Assert.Contains(functions, f => f.Name == "ArchiveImportOrchestrator" && f.Trigger == TriggerKind.Orchestration);
    }

    [Fact]
    public void Discover_FunctionsApp_EveryFunctionBinds()
    {
        foreach (FunctionDescriptor function in FunctionCatalog.Discover(typeof(MeterToCash.Functions.MeterToCashServices).Assembly).Where(f => f.Trigger != TriggerKind.Http))
        {
            FunctionInvoker invoker = new(function, FunctionTaskRegistration.NoExtraBinding);
            Assert.Equal(function, invoker.Function);
        }
    }

    [Fact]
    public void Invoker_UnbindableParameter_NamesFunctionAndParameter()
    {
        FunctionDescriptor function = FunctionCatalog.Discover([typeof(UnbindableFunctions)]).Single();

        FunctionBindingException error = Assert.Throws<FunctionBindingException>(() => new FunctionInvoker(function, FunctionTaskRegistration.NoExtraBinding));

        Assert.Contains("'NeedsAWidget'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'widget'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_UnsupportedTrigger_FailsNamingFunctionAndParameter()
    {
        FunctionBindingException error = Assert.Throws<FunctionBindingException>(() => FunctionCatalog.Discover([typeof(QueueFunctions)]));

        Assert.Contains("'OnMessage'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'message'", error.Message, StringComparison.Ordinal);
        Assert.Contains("QueueTriggerAttribute", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 30 3 * * *", "2026-11-26T00:00:00Z", "2026-11-26T03:30:00Z")]
    [InlineData("*/15 * * * *", "2026-11-26T10:07:00Z", "2026-11-26T10:15:00Z")]
    [InlineData("00:05:00", "2026-11-26T10:07:00Z", "2026-11-26T10:12:00Z")]
    [InlineData("%My__Schedule%", "2026-11-26T10:07:00Z", "2026-11-26T10:08:00Z")]
    public void TimerSchedule_NcrontabCronTimeSpanOrSetting_GivesNextOccurrence(string schedule, string after, string expected)
    {
        TimerFunction timer = Timer(schedule, new Dictionary<string, string?> { ["My:Schedule"] = "0 * * * * *" });

        DateTimeOffset? next = timer.Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("every day")]
    [InlineData("%Missing__Setting%")]
    public void TimerSchedule_Invalid_FailsAtStartUp(string schedule)
    {
        Assert.Throws<FunctionBindingException>(() => Timer(schedule, []));
    }

    static TimerFunction Timer(string schedule, Dictionary<string, string?> settings)
    {
        FunctionDescriptor descriptor = FunctionCatalog.Discover([typeof(TimerFunctions)]).Single();
        descriptor = descriptor with { TriggerAttribute = new TimerTriggerAttribute(schedule) };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new TimerFunction(new FunctionInvoker(descriptor, FunctionTaskRegistration.NoExtraBinding), configuration);
    }

    public sealed class Widget;

    public sealed class UnbindableFunctions
    {
        [Function("NeedsAWidget")]
        public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, Widget widget) => new OkResult();
    }

    public sealed class QueueFunctions
    {
        [Function("OnMessage")]
        public static void Run([QueueTrigger("q")] string message)
        {
        }
    }

    public sealed class TimerFunctions
    {
        [Function("Tick")]
        public static void Run([TimerTrigger("0 * * * * *")] TimerInfo timer)
        {
        }
    }
}

/// <summary>Stands in for a trigger the LocalHost does not run (the real queue extension is not referenced here).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class QueueTriggerAttribute(string queueName) : Attribute
{
    public string QueueName { get; } = queueName;
}
