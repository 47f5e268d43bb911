using System.Net;
using System.Text.Json;
using MeterToCash.Tools.Reconciliation;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;
using static MeterToCash.Functions.Tests.Reconciliation.ReconKit;

namespace MeterToCash.Functions.Tests.LocalHost;

/// <summary>
/// An activity that runs far longer than the task hub's visibility timeout (the reconciliation match held 60 s by its
/// test hook, on a LocalHost whose timeout is 3 s) keeps its queue message hidden while it runs, so it runs once and
/// its completion deletes the message: the match is logged once, including well after it finished, and the provider
/// never sees the message twice.
/// </summary>
public class ActivityLockRenewalTests
{
    const int VisibilityTimeoutSeconds = 3;

    [Fact]
    public async Task Activity_RunsTwentyTimesTheVisibilityTimeout_RunsOnceAndItsMessageIsGone()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: new Dictionary<string, string>
        {
            ["Reconciliation__TestPauseAfter"] = "items",
            ["LocalHost__Durable__VisibilityTimeoutSeconds"] = VisibilityTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Reconciliation__ScanSchedule"] = QuietTimers.NotDuringTheRun, // the scan would start a second match of a day still matching
        });
        using HttpClient client = host.Client();
        using HttpClient anonymous = Anonymous(host.BaseAddress);
        await SeedOwnHostAsync(host, client);
        DateOnly day = new(2026, 3, 10);
        (string fileId, _) = await CloseAndUploadAsync(client, Icbc(anonymous), day, [await CustomerAsync(client)], [1_000, 2_000], new ReconPlants(Extra: 1));

        JsonElement report = await WaitForStatusAsync(client, day, "AwaitingDecisions");
        await Task.Delay(TimeSpan.FromSeconds(4 * VisibilityTimeoutSeconds)); // a message left behind would be dequeued again by now

        Assert.Equal((2, 1), (Count(report, "Matched"), Count(report, "BankLong")));
        Assert.Equal(1, Occurrences(host.Output, $"matched file {fileId}"));
        Assert.Equal(0, Occurrences(host.Output, "is being processed multiple times concurrently"));
    }

    static int Occurrences(string text, string part) =>
        text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
