using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Tools;

/// <summary>
/// The reference data a demo utility or a test backend needs before its archive: the tariffs its customers are on
/// (<see cref="TariffSeed"/>) and the shipped holiday calendars (<see cref="CalendarSeed"/>). Idempotent.
/// </summary>
public static class ReferenceDataSeed
{
    /// <summary>Publishes tariffs and calendars with a client that sends the master key.</summary>
    public static async Task SeedAsync(HttpClient masterKeyClient)
    {
        await TariffSeed.SeedAsync(masterKeyClient);
        await CalendarSeed.SeedAsync(masterKeyClient);
    }

    /// <summary>Publishes tariffs and calendars into a LocalHost, with its master key.</summary>
    public static async Task SeedAsync(LocalHostProcess host)
    {
        ArgumentNullException.ThrowIfNull(host);
        using HttpClient client = host.Client(LocalHostProcess.MasterKey);
        await SeedAsync(client);
    }
}
