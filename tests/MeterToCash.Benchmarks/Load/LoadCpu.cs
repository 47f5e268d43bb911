using System.Diagnostics;
using System.Globalization;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// CPU time of Azurite, the LocalHost and the driver, read together. Per unit of work (a value stored, an account
/// billed) it says what a rate costs in cores, which is what bounds throughput where all three share two cores.
/// </summary>
internal readonly record struct LoadCpu(TimeSpan Azurite, TimeSpan Host, TimeSpan Driver)
{
    public TimeSpan Total => Azurite + Host + Driver;

    public static LoadCpu Read(Azurite azurite, LocalHostProcess? host) =>
        new(azurite.CpuTime, host?.CpuTime ?? TimeSpan.Zero, Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>As <see cref="Read(Azurite, LocalHostProcess?)"/>, with every Azurite's CPU counted as Azurite's (app data and task hub on two).</summary>
    public static LoadCpu Read(IReadOnlyList<Azurite> azurites, LocalHostProcess? host) =>
        new(azurites.Aggregate(TimeSpan.Zero, (sum, azurite) => sum + azurite.CpuTime), host?.CpuTime ?? TimeSpan.Zero, Process.GetCurrentProcess().TotalProcessorTime);

    public static LoadCpu operator -(LoadCpu a, LoadCpu b) => new(a.Azurite - b.Azurite, a.Host - b.Host, a.Driver - b.Driver);

    public static LoadCpu operator +(LoadCpu a, LoadCpu b) => new(a.Azurite + b.Azurite, a.Host + b.Host, a.Driver + b.Driver);

    /// <summary>Each process's CPU per unit in µs with <paramref name="decimals"/> decimals, and their sum.</summary>
    public string Per(long units, int decimals)
    {
        string format = "N" + decimals.ToString(CultureInfo.InvariantCulture);
        string Micro(TimeSpan t) => (t.TotalMicroseconds / units).ToString(format, CultureInfo.InvariantCulture) + " µs";
        return Host == TimeSpan.Zero
            ? $"Azurite {Micro(Azurite)} + driver {Micro(Driver)} = {Micro(Total)}"
            : $"Azurite {Micro(Azurite)} + LocalHost {Micro(Host)} + driver {Micro(Driver)} = {Micro(Total)}";
    }
}
