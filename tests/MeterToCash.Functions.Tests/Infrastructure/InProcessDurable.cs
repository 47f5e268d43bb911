using MeterToCash.Tools.LocalStack;
using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>
/// Starts the in-process durable test host (<see cref="DurableTaskTestHost"/>) on a free loopback port. A port is free
/// when it is picked and may be taken before the host binds it (tests start Azurites and LocalHosts in parallel), so a
/// start that finds its port taken is tried again on another.
/// </summary>
internal static class InProcessDurable
{
    const int Attempts = 5;

    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> registry)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(registry, new DurableTaskTestHostOptions { Port = ChildProcess.FreePort() });
            }
            catch (IOException e) when (e.InnerException is AddressInUseException && attempt < Attempts)
            {
                // Taken between the pick and the bind: pick again.
            }
        }
    }
}
