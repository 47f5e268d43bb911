using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Tariffs;

internal static partial class Logs
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Tariff {Code} version {Version} published, effective from {EffectiveFrom}")]
    public static partial void TariffPublished(this ILogger logger, string code, string version, DateOnly effectiveFrom);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Tariff change listener {Listener} failed for {Code} version {Version}; the version is stored, a retry of the same PUT notifies again")]
    public static partial void TariffListenerFailed(this ILogger logger, Exception exception, string listener, string code, string version);
}
