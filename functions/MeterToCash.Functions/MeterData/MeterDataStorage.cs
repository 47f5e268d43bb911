using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.MeterData;

/// <summary>The meter-data tables, created once at start-up (<see cref="Infrastructure.StorageStartup"/>), except the per-day curve tables and the per-month frozen-read tables, created lazily before the first write to them. Keys: <see cref="MeterDataKeys"/>.</summary>
public sealed class MeterDataStorage(TableServiceClient tables)
{
    /// <summary>The tables created lazily by this process (a day's curves, a month's frozen reads), by name.</summary>
    readonly ConcurrentDictionary<string, Lazy<Task>> tablesCreated = new(StringComparer.Ordinal);

    /// <summary>The curve table of a China-local day (it may not exist yet: readers treat a missing table as no curves).</summary>
    public TableClient Curves(DateOnly day) => tables.GetTableClient(MeterDataKeys.CurvesTable(day));

    /// <summary>Creates a day's curve table once per process, before the first write to it.</summary>
    public Task EnsureCurvesTableAsync(DateOnly day) => EnsureTableAsync(MeterDataKeys.CurvesTable(day));

    /// <summary>Forgets that a day's curve table was created, so the next write creates it again.</summary>
    public void ForgetCurvesTable(DateOnly day) => tablesCreated.TryRemove(MeterDataKeys.CurvesTable(day), out _);

    /// <summary>The days whose curve table exists (for retention).</summary>
    public async IAsyncEnumerable<DateOnly> ListCurveTableDaysAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string filter = TableServiceClient.CreateQueryFilter($"TableName ge {MeterDataKeys.CurvesTablePrefix} and TableName lt {MeterDataKeys.CurvesTablePrefix + "~"}");
        await foreach (Azure.Data.Tables.Models.TableItem table in tables.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            if (MeterDataKeys.DayOfCurvesTable(table.Name) is { } day)
            {
                yield return day;
            }
        }
    }

    /// <summary>Deletes a whole day's curve table (retention).</summary>
    public async Task DeleteCurvesTableAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await tables.DeleteTableAsync(MeterDataKeys.CurvesTable(day), cancellationToken);
        ForgetCurvesTable(day);
    }

    /// <summary>True for the error a read gets from a day whose curve table was never created: no curves that day.</summary>
    public static bool IsMissingTable(RequestFailedException e) => e.Status == 404 && e.ErrorCode == "TableNotFound";

    public TableClient MonthToDate { get; } = tables.GetTableClient(MeterDataKeys.MonthToDateTable);

    public TableClient Registers { get; } = tables.GetTableClient(MeterDataKeys.RegistersTable);

    /// <summary>The frozen-read table of the month of <paramref name="day"/> (it may not exist yet: readers treat a missing table as nothing copied).</summary>
    public TableClient FrozenRegisters(DateOnly day) => tables.GetTableClient(MeterDataKeys.FrozenRegistersTable(day));

    /// <summary>Creates the frozen-read table of the month of <paramref name="day"/> once per process, before the first copy into it.</summary>
    public Task EnsureFrozenRegistersTableAsync(DateOnly day) => EnsureTableAsync(MeterDataKeys.FrozenRegistersTable(day));

    /// <summary>Creates a table once per process (a concurrent creator elsewhere is harmless).</summary>
    Task EnsureTableAsync(string name) => tablesCreated.GetOrAdd(name, created => new Lazy<Task>(() => CreateTableAsync(tables, created))).Value;

    public TableClient Rejections { get; } = tables.GetTableClient(MeterDataKeys.RejectionsTable);

    public TableClient SpikeReferences { get; } = tables.GetTableClient(MeterDataKeys.SpikeReferencesTable);

    static async Task CreateTableAsync(TableServiceClient service, string name)
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
