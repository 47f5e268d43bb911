using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Archive;

/// <summary>The archive's tables, created once per process on first use. Key design: <see cref="Domain.Archive.ArchiveKeys"/>.</summary>
public sealed class ArchiveTables(TableServiceClient service)
{
    public const string CustomersTable = "Customers", IndexTable = "ArchiveIndex", NetworkTable = "Network", BillingGroupsTable = "BillingGroups";

    readonly Lazy<Task> created = new(async () =>
    {
        await Task.WhenAll(
            CreateAsync(service, CustomersTable),
            CreateAsync(service, IndexTable),
            CreateAsync(service, NetworkTable),
            CreateAsync(service, BillingGroupsTable));
    });

    public TableClient Customers { get; } = service.GetTableClient(CustomersTable);

    public TableClient Index { get; } = service.GetTableClient(IndexTable);

    public TableClient Network { get; } = service.GetTableClient(NetworkTable);

    /// <summary>Billing groups and their area claims, one partition (see <see cref="BillingGroups"/>).</summary>
    public TableClient BillingGroups { get; } = service.GetTableClient(BillingGroupsTable);

    public Task EnsureCreatedAsync() => created.Value;

    static async Task CreateAsync(TableServiceClient service, string name)
    {
        try
        {
            await service.CreateTableIfNotExistsAsync(name);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created by a concurrent instance between the check and the create.
        }
    }
}
