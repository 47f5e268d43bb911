using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Monitoring;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary><c>metertocash.alarms.opened</c> counts alarms the store opened: a repeat observation of a live alarm is not a new one.</summary>
[Collection(BackendCollection.Name)]
public sealed class AlarmMetricsTests(BackendFixture backend) : IAsyncLifetime
{
    ServiceProvider services = null!;

    public Task InitializeAsync()
    {
        services = backend.AppServices();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task AlarmStore_SameConditionTwiceThenAnother_CountsTwoOpenedByKind()
    {
        using MetricRecorder opened = new("metertocash.alarms.opened");
        AlarmStore store = services.GetRequiredService<AlarmStore>();
        string area = "TM" + Guid.NewGuid().ToString("N")[..8];
        DateTimeOffset at = new(2025, 8, 1, 10, 0, 0, TimeSpan.FromHours(8));

        await store.RaiseAsync(area, new AlarmCondition(new AlarmKey(AlarmKind.Tamper, "MTR-METRIC-1"), at), CancellationToken.None);
        await store.RaiseAsync(area, new AlarmCondition(new AlarmKey(AlarmKind.Tamper, "MTR-METRIC-1"), at.AddMinutes(5)), CancellationToken.None);
        await store.RaiseAsync(area, new AlarmCondition(new AlarmKey(AlarmKind.PhaseLoss, "MTR-METRIC-1"), at), CancellationToken.None);

        Assert.Equal(1, opened.Sum(("kind", "Tamper")));
        Assert.Equal(1, opened.Sum(("kind", "PhaseLoss")));
        Assert.Equal(2, opened.Sum());
    }
}
