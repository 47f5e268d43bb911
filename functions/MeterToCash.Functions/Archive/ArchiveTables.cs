using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Archive;

/// <summary>The archive's tables, created once at start-up (<see cref="Infrastructure.StorageStartup"/>). Key design: <see cref="Domain.Archive.ArchiveKeys"/>.</summary>
public sealed class ArchiveTables(TableServiceClient service)
{
    public const string CustomersTable = "Customers", IndexTable = "ArchiveIndex", NetworkTable = "Network", BillingGroupsTable = "BillingGroups";

    public TableClient Customers { get; } = service.GetTableClient(CustomersTable);

    public TableClient Index { get; } = service.GetTableClient(IndexTable);

    public TableClient Network { get; } = service.GetTableClient(NetworkTable);

    /// <summary>Billing groups and their area claims, one partition (see <see cref="BillingGroups"/>).</summary>
    public TableClient BillingGroups { get; } = service.GetTableClient(BillingGroupsTable);
}
