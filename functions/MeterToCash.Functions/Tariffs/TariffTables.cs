using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// The catalogue's one table, created once at start-up (<see cref="Infrastructure.StorageStartup"/>): <c>TariffVersions</c>, partition = tariff code,
/// row = version label, so a tariff's versions are one partition query and a version is one point read.
/// </summary>
public sealed class TariffTables(TableServiceClient service)
{
    public const string VersionsTable = "TariffVersions";

    public TableClient Versions { get; } = service.GetTableClient(VersionsTable);
}
