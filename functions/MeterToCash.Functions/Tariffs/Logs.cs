using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Tariffs;

internal static partial class Logs
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Tariff {Code} version {Version} published, effective from {EffectiveFrom}")]
    public static partial void TariffPublished(this ILogger logger, string code, string version, DateOnly effectiveFrom);
}
