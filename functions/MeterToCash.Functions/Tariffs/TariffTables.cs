using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// The catalogue's one table, created once per process on first use: <c>TariffVersions</c>, partition = tariff code,
/// row = version label, so a tariff's versions are one partition query and a version is one point read.
/// </summary>
public sealed class TariffTables(TableServiceClient service)
{
    public const string VersionsTable = "TariffVersions";

    readonly Lazy<Task> created = new(async () =>
    {
        try
        {
            await service.CreateTableIfNotExistsAsync(VersionsTable);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created by a concurrent instance between the check and the create.
        }
    });

    public TableClient Versions { get; } = service.GetTableClient(VersionsTable);

    public Task EnsureCreatedAsync() => created.Value;
}
