using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Tariffs;

/// <summary>Settings of the tariff catalogue, section <c>Tariffs</c>.</summary>
public sealed class TariffOptions
{
    public const string Section = "Tariffs";

    /// <summary>
    /// Seconds <see cref="TariffCatalog"/> keeps the code list and loaded tariffs in memory (0 = no cache). A publish
    /// clears the cache of the instance that took it at once; other instances see it within this many seconds.
    /// </summary>
    [Range(0, 86_400)]
    public int CacheSeconds { get; set; } = 60;
}
