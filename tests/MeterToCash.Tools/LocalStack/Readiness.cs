using System.Globalization;

namespace MeterToCash.Tools.LocalStack;

/// <summary>
/// How long a test or load driver waits for a process it starts (Azurite, the LocalHost) to become ready. Waiting ends as
/// soon as the process is ready, so the budget only matters when something is wrong; it is large because a shared
/// 2-core build machine can take a minute to start node or JIT the host. <c>METERTOCASH_START_SECONDS</c> overrides it.
/// </summary>
public static class Readiness
{
    public static TimeSpan StartBudget { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("METERTOCASH_START_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0 ? seconds : 300);
}
