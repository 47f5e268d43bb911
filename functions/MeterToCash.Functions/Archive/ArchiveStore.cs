using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;

namespace MeterToCash.Functions.Archive;

/// <summary>A stored customer with the ETag that guards updates.</summary>
public sealed record StoredCustomer(Customer Customer, ETag ETag);

/// <summary>Outcome of a conditional write.</summary>
public enum WriteOutcome
{
    Created,
    Unchanged,
    Updated,
    AlreadyExists,
    NotFound,
    StaleETag,
}

/// <summary>Reads and writes customers, the account and meter indexes, and the network tree in Azure Tables.</summary>
public sealed class ArchiveStore(ArchiveTables tables, TimeProvider time)
{
    /// <summary>Most accounts <see cref="FindAsync"/> remembers the area of; past it the memory is dropped whole (one index read per account again).</summary>
    public const int MaxRememberedAreas = 200_000;

    /// <summary>
    /// The area each account's customer row was last found in. An account's row stays in the area it was created in
    /// (an update replaces it there; an import refuses an account filed under another area), so this only saves the index
    /// read; the customer read still decides: a row no longer there (an account removed) falls back to the index.
    /// </summary>
    readonly ConcurrentDictionary<string, string> accountAreas = new(StringComparer.Ordinal);

    /// <summary>
    /// Finds a customer by account number: the customer row in the area the account index names (or the area this
    /// instance last found it in, which saves the index read); the index alone never proves existence.
    /// </summary>
    public async Task<StoredCustomer?> FindAsync(string accountNo, CancellationToken cancellationToken)
    {
        if (accountAreas.TryGetValue(accountNo, out string? known) && await FindInAreaAsync(known, accountNo, cancellationToken) is { } remembered)
        {
            return remembered;
        }

        NullableResponse<TableEntity> index = await tables.Index.GetEntityIfExistsAsync<TableEntity>(ArchiveKeys.AccountIndexPartition(accountNo), accountNo, ["AreaCode"], cancellationToken);
        if (!index.HasValue || index.Value!.GetString("AreaCode") is not { } area)
        {
            accountAreas.TryRemove(accountNo, out _);
            return null;
        }

        StoredCustomer? found = await FindInAreaAsync(area, accountNo, cancellationToken);
        if (found is null)
        {
            accountAreas.TryRemove(accountNo, out _);
        }
        else
        {
            if (accountAreas.Count >= MaxRememberedAreas)
            {
                accountAreas.Clear();
            }

            accountAreas[accountNo] = area;
        }

        return found;
    }

    async Task<StoredCustomer?> FindInAreaAsync(string area, string accountNo, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> entity = await tables.Customers.GetEntityIfExistsAsync<TableEntity>(area, accountNo, cancellationToken: cancellationToken);
        return entity.HasValue ? new StoredCustomer(ToCustomer(entity.Value!), entity.Value!.ETag) : null;
    }

    /// <summary>The account that holds a meter now, if any (index entry checked against the customer).</summary>
    public async Task<string?> MeterOwnerAsync(string meterNo, CancellationToken cancellationToken) =>
        (await MeterHolderCoreAsync(meterNo, cancellationToken)).Owner;

    /// <summary>
    /// The customer that holds a meter now, if any (index entry checked against the customer). Returns the customer it
    /// read for the check, so a caller that needs the meter's details (ingestion's meter directory) does not read it again.
    /// </summary>
    public async Task<StoredCustomer?> MeterHolderAsync(string meterNo, CancellationToken cancellationToken) =>
        (await MeterHolderCoreAsync(meterNo, cancellationToken)).Customer;

    async Task<(string? Owner, StoredCustomer? Customer)> MeterHolderCoreAsync(string meterNo, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> index = await tables.Index.GetEntityIfExistsAsync<TableEntity>(ArchiveKeys.MeterIndexPartition(meterNo), ArchiveKeys.MeterIndexRow(meterNo), cancellationToken: cancellationToken);
        if (!index.HasValue || index.Value!.GetString("AccountNo") is not { } owner)
        {
            return (null, null);
        }

        StoredCustomer? customer = await FindAsync(owner, cancellationToken);
        bool holds = customer?.Customer.ServicePoints.SelectMany(p => p.Meters).Any(m => string.Equals(m.MeterNo.Value, meterNo, StringComparison.OrdinalIgnoreCase)) == true;
        return holds ? (owner, customer) : (null, null);
    }

    /// <summary>Meters of <paramref name="customer"/> that another account holds.</summary>
    public async Task<IReadOnlyList<(string MeterNo, string Owner)>> MetersHeldElsewhereAsync(Customer customer, CancellationToken cancellationToken)
    {
        List<(string, string)> taken = [];
        foreach (string meterNo in customer.ServicePoints.SelectMany(p => p.Meters).Select(m => m.MeterNo.Value))
        {
            string? owner = await MeterOwnerAsync(meterNo, cancellationToken);
            if (owner is not null && owner != customer.AccountNo)
            {
                taken.Add((meterNo, owner));
            }
            else if (owner is null && await MasterMeterAreaAsync(meterNo, cancellationToken) is { } area)
            {
                taken.Add((meterNo, "master meter of area " + area.Code));
            }
        }

        return taken;
    }

    /// <summary>
    /// Inserts a new customer: index entries first, then the customer. Creating the same customer again is
    /// <see cref="WriteOutcome.Unchanged"/> (a retried POST), a different one under the same number is
    /// <see cref="WriteOutcome.AlreadyExists"/>.
    /// </summary>
    public async Task<(WriteOutcome Outcome, StoredCustomer? Stored)> CreateAsync(Customer customer, CancellationToken cancellationToken)
    {
        StoredCustomer? existing = await FindAsync(customer.AccountNo, cancellationToken);
        if (existing is not null)
        {
            return (Same(existing.Customer, customer) ? WriteOutcome.Unchanged : WriteOutcome.AlreadyExists, existing);
        }

        await WriteIndexesAsync([customer], cancellationToken);
        try
        {
            Response response = await tables.Customers.AddEntityAsync(ToEntity(customer), cancellationToken);
            return (WriteOutcome.Created, new StoredCustomer(customer, response.Headers.ETag ?? default));
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            existing = await FindAsync(customer.AccountNo, cancellationToken);
            return (existing is not null && Same(existing.Customer, customer) ? WriteOutcome.Unchanged : WriteOutcome.AlreadyExists, existing);
        }
    }

    /// <summary>Replaces a customer if <paramref name="ifMatch"/> is still its ETag.</summary>
    public async Task<(WriteOutcome Outcome, StoredCustomer? Stored)> UpdateAsync(Customer customer, ETag ifMatch, CancellationToken cancellationToken)
    {
        StoredCustomer? existing = await FindAsync(customer.AccountNo, cancellationToken);
        if (existing is null)
        {
            return (WriteOutcome.NotFound, null);
        }

        if (existing.ETag != ifMatch)
        {
            return (WriteOutcome.StaleETag, existing);
        }

        await WriteIndexesAsync([customer], cancellationToken);
        try
        {
            Response response = await tables.Customers.UpdateEntityAsync(ToEntity(customer), ifMatch, TableUpdateMode.Replace, cancellationToken);
            return (WriteOutcome.Updated, new StoredCustomer(customer, response.Headers.ETag ?? default));
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return (WriteOutcome.StaleETag, await FindAsync(customer.AccountNo, cancellationToken));
        }
    }

    /// <summary>
    /// Imports many customers (bulk import) and returns those refused. Index entries go first as conditional inserts in
    /// entity-group transactions of up to 100 (one partition each), so a fresh import costs no reads; only where an
    /// entry already exists is it read and reconciled: the same owner is kept (a re-run after a crash), a stale entry is
    /// replaced, and a meter another account holds or an account filed under another area refuses that customer.
    /// Customers then go as upserts in transactions per area partition. Running it again with the same customers
    /// leaves the same rows.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ValidationError>> ImportManyAsync(IReadOnlyList<Customer> customers, CancellationToken cancellationToken)
    {
        ConcurrentDictionary<string, ValidationError> refused = new(StringComparer.Ordinal);

        await InsertOrReconcileAsync(
            customers.Select(c => (c.AccountNo, AccountIndexEntity(c))),
            async (accountNo, wanted, existing, ct) =>
            {
                string? area = existing.GetString("AreaCode");
                if (area == wanted.GetString("AreaCode"))
                {
                    return Reconcile.Keep;
                }

                bool storedThere = area is not null && (await tables.Customers.GetEntityIfExistsAsync<TableEntity>(area, accountNo, ["PartitionKey"], ct)).HasValue;
                if (!storedThere)
                {
                    return Reconcile.Replace;
                }

                refused.TryAdd(accountNo, new ValidationError("area_code", "area-transfer-not-supported", $"Account '{accountNo}' is filed under area '{area}'; moving it is a transfer, not an import."));
                return Reconcile.Keep;
            },
            cancellationToken);

        await InsertOrReconcileAsync(
            customers.Where(c => !refused.ContainsKey(c.AccountNo)).SelectMany(c => MeterIndexEntities(c).Select(e => (c.AccountNo, e))),
            async (accountNo, wanted, existing, ct) =>
            {
                if (existing.GetString("AccountNo") == accountNo)
                {
                    return Reconcile.Replace;
                }

                string meterNo = wanted.GetString("MeterNo")!;
                string? owner = await MeterOwnerAsync(meterNo, ct);
                if (owner is null || owner == accountNo)
                {
                    return Reconcile.Replace;
                }

                refused.TryAdd(accountNo, new ValidationError("meter_no", "meter-belongs-to-other-account", $"Meter '{meterNo}' is installed for account '{owner}'."));
                return Reconcile.Keep;
            },
            cancellationToken);

        await SubmitGroupedAsync(tables.Customers, customers.Where(c => !refused.ContainsKey(c.AccountNo)).Select(ToEntity), cancellationToken);
        return refused;
    }

    enum Reconcile
    {
        Keep,
        Replace,
    }

    async Task InsertOrReconcileAsync(
        IEnumerable<(string Owner, TableEntity Entity)> entries,
        Func<string, TableEntity, TableEntity, CancellationToken, Task<Reconcile>> reconcile,
        CancellationToken cancellationToken)
    {
        IEnumerable<(string Owner, TableEntity Entity)[]> batches = entries
            .GroupBy(e => e.Entity.PartitionKey)
            .SelectMany(g => g.DistinctBy(e => e.Entity.RowKey).Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            try
            {
                await tables.Index.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e.Entity)), ct);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Some entries exist already: settle them one by one.
            }

            foreach ((string owner, TableEntity wanted) in batch)
            {
                NullableResponse<TableEntity> existing = await tables.Index.GetEntityIfExistsAsync<TableEntity>(wanted.PartitionKey, wanted.RowKey, cancellationToken: ct);
                if (!existing.HasValue)
                {
                    await tables.Index.UpsertEntityAsync(wanted, TableUpdateMode.Replace, ct);
                }
                else if (await reconcile(owner, wanted, existing.Value!, ct) == Reconcile.Replace)
                {
                    await tables.Index.UpdateEntityAsync(wanted, existing.Value!.ETag, TableUpdateMode.Replace, ct);
                }
            }
        });
    }

    /// <summary>Customers filtered by area, class and payment mode, a page at a time.</summary>
    public async Task<(IReadOnlyList<Customer> Items, string? ContinuationToken)> ListAsync(string? area, CustomerClass? cls, PaymentMode? mode, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        List<string> filters = [];
        if (area is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {area}"));
        }

        if (cls is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Class eq {cls.Value.ToString()}"));
        }

        if (mode is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PaymentMode eq {mode.Value.ToString()}"));
        }

        string? filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        await foreach (Page<TableEntity> page in tables.Customers.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return (page.Values.Select(ToCustomer).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>
    /// The customers of transformer area <paramref name="area"/> whose account numbers lie between
    /// <paramref name="firstAccountNo"/> and <paramref name="lastAccountNo"/>, both inclusive, in account order: one
    /// partition range query (a billing batch reads its accounts this way rather than one point read each).
    /// </summary>
    public async Task<IReadOnlyList<Customer>> ListRangeAsync(string area, string firstAccountNo, string lastAccountNo, CancellationToken cancellationToken)
    {
        List<Customer> found = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {area} and RowKey ge {firstAccountNo} and RowKey le {lastAccountNo}");
        await foreach (TableEntity entity in tables.Customers.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(ToCustomer(entity));
        }

        return found;
    }

    public async Task<NetworkNode?> FindNodeAsync(NetworkLevel level, string code, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> entity = await tables.Network.GetEntityIfExistsAsync<TableEntity>(ArchiveKeys.NetworkPartition, ArchiveKeys.NetworkRow(level, code), cancellationToken: cancellationToken);
        return entity.HasValue ? ToNode(entity.Value!) : null;
    }

    /// <summary>Creates or replaces a network node; true when it was new.</summary>
    public async Task<bool> UpsertNodeAsync(NetworkNode node, CancellationToken cancellationToken)
    {
        bool existed = await FindNodeAsync(node.Level, node.Code, cancellationToken) is not null;
        TableEntity entity = new(ArchiveKeys.NetworkPartition, ArchiveKeys.NetworkRow(node.Level, node.Code))
        {
            ["Level"] = node.Level.ToString(),
            ["Code"] = node.Code,
            ["Name"] = node.Name,
            ["ParentCode"] = node.ParentCode,
            ["RatedKva"] = node.RatedKva?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MasterMeter"] = node.MasterMeter is { } m ? JsonSerializer.Serialize(MasterMeterDto.FromDomain(m), ArchiveJson.Options) : null,
        };
        await tables.Network.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return !existed;
    }

    /// <summary>
    /// Reserves <paramref name="meterNo"/> as the master meter of <paramref name="area"/> before the area is written: an
    /// index row (PartitionKey <see cref="ArchiveKeys.MasterMeterPartition"/>, RowKey the upper-cased number) is added
    /// with Add, so two areas claiming one meter at once cannot both win. Returns null when the claim holds (also when
    /// the area already held it: a retried PUT), or who holds the number: <c>area {code}</c> or <c>account {no}</c>.
    /// A row left by an area that later changed its master meter is harmless: <see cref="MasterMeterAreaAsync"/> checks
    /// it against the area, and a new claim by another area takes it over once the old area no longer names it.
    /// </summary>
    public async Task<string?> ClaimMasterMeterAsync(string meterNo, string area, CancellationToken cancellationToken)
    {
        if (await MeterOwnerAsync(meterNo, cancellationToken) is { } owner)
        {
            return "account " + owner;
        }

        string row = ArchiveKeys.MeterIndexRow(meterNo);
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> existing = await tables.Index.GetEntityIfExistsAsync<TableEntity>(ArchiveKeys.MasterMeterPartition, row, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    await tables.Index.AddEntityAsync(new TableEntity(ArchiveKeys.MasterMeterPartition, row) { ["AreaCode"] = area }, cancellationToken);
                    return null;
                }

                string? holder = existing.Value!.GetString("AreaCode");
                if (holder == area)
                {
                    return null;
                }

                if (holder is not null && await FindNodeAsync(NetworkLevel.TransformerArea, holder, cancellationToken) is { MasterMeter: { } held } && string.Equals(held.MeterNo.Value, meterNo, StringComparison.OrdinalIgnoreCase))
                {
                    return "area " + holder;
                }

                await tables.Index.UpdateEntityAsync(new TableEntity(ArchiveKeys.MasterMeterPartition, row) { ["AreaCode"] = area }, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 4)
            {
                // Another claim wrote first: look again.
            }
        }
    }

    /// <summary>The area whose master meter <paramref name="meterNo"/> is now (index row checked against the area), or null.</summary>
    public async Task<NetworkNode?> MasterMeterAreaAsync(string meterNo, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> index = await tables.Index.GetEntityIfExistsAsync<TableEntity>(ArchiveKeys.MasterMeterPartition, ArchiveKeys.MeterIndexRow(meterNo), cancellationToken: cancellationToken);
        if (!index.HasValue || index.Value!.GetString("AreaCode") is not { } area)
        {
            return null;
        }

        NetworkNode? node = await FindNodeAsync(NetworkLevel.TransformerArea, area, cancellationToken);
        return node?.MasterMeter is { } m && string.Equals(m.MeterNo.Value, meterNo, StringComparison.OrdinalIgnoreCase) ? node : null;
    }

    /// <summary>The first of <paramref name="areas"/> that is not a transformer area of the network archive, or null when all are (or none is given).</summary>
    public async Task<string?> FirstUnknownAreaAsync(IReadOnlyList<string>? areas, CancellationToken cancellationToken)
    {
        if (areas is not { Count: > 0 })
        {
            return null;
        }

        HashSet<string> known = [.. await AreaCodesAsync(null, cancellationToken)];
        return areas.FirstOrDefault(a => !known.Contains(a));
    }

    /// <summary>
    /// Transformer-area codes in ordinal order: <paramref name="only"/> when given (taken as they are), else every
    /// transformer area of the network archive (one partition query).
    /// </summary>
    public async Task<IReadOnlyList<string>> AreaCodesAsync(IReadOnlyList<string>? only, CancellationToken cancellationToken) =>
        [.. (only ?? (await NetworkAsync(cancellationToken)).Where(n => n.Level == NetworkLevel.TransformerArea).Select(n => n.Code)).Order(StringComparer.Ordinal)];

    public async Task<IReadOnlyList<NetworkNode>> NetworkAsync(CancellationToken cancellationToken)
    {
        List<NetworkNode> nodes = [];
        await foreach (TableEntity entity in tables.Network.QueryAsync<TableEntity>(e => e.PartitionKey == ArchiveKeys.NetworkPartition, cancellationToken: cancellationToken))
        {
            nodes.Add(ToNode(entity));
        }

        return nodes;
    }

    async Task WriteIndexesAsync(IReadOnlyList<Customer> customers, CancellationToken cancellationToken)
    {
        await SubmitGroupedAsync(tables.Index, customers.Select(AccountIndexEntity).Concat(customers.SelectMany(MeterIndexEntities)), cancellationToken);
    }

    static TableEntity AccountIndexEntity(Customer c) => new(ArchiveKeys.AccountIndexPartition(c.AccountNo), c.AccountNo) { ["AreaCode"] = c.AreaCode };

    static IEnumerable<TableEntity> MeterIndexEntities(Customer c) => c.ServicePoints.SelectMany(p => p.Meters.Select(m =>
        new TableEntity(ArchiveKeys.MeterIndexPartition(m.MeterNo.Value), ArchiveKeys.MeterIndexRow(m.MeterNo.Value))
        {
            ["MeterNo"] = m.MeterNo.Value,
            ["AccountNo"] = c.AccountNo,
            ["AreaCode"] = p.AreaCode,
            ["ServicePointId"] = p.Id,
            ["Multiplier"] = m.Multiplier,
        }));

    static async Task SubmitGroupedAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        // An entity-group transaction takes at most 100 entities, all of one partition, each row once.
        IEnumerable<TableEntity[]> batches = entities
            .GroupBy(e => e.PartitionKey)
            .SelectMany(g => g.DistinctBy(e => e.RowKey).Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
    }

    TableEntity ToEntity(Customer c) => new(c.AreaCode, c.AccountNo)
    {
        ["Name"] = c.Name,
        ["Class"] = c.Class.ToString(),
        ["PaymentMode"] = c.PaymentMode.ToString(),
        ["Phone"] = c.Phone,
        ["Address"] = c.Address,
        ["Credit"] = c.Credit.ToString(),
        ["ClosedOn"] = c.ClosedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        // Service points travel with the customer in one entity, so an update is atomic under one ETag.
        ["ServicePoints"] = JsonSerializer.Serialize(CustomerDto.FromDomain(c).ServicePoints, ArchiveJson.Options),
        ["UpdatedAt"] = time.GetUtcNow(),
    };

    static Customer ToCustomer(TableEntity e)
    {
        IReadOnlyList<ServicePointDto> points = JsonSerializer.Deserialize<List<ServicePointDto>>(e.GetString("ServicePoints") ?? "[]", ArchiveJson.Options) ?? [];
        CustomerDto dto = new(e.RowKey, e.GetString("Name"), Enum.Parse<CustomerClass>(e.GetString("Class")!), Enum.Parse<PaymentMode>(e.GetString("PaymentMode")!),
            e.GetString("Phone"), e.GetString("Address"), Enum.Parse<CreditGrade>(e.GetString("Credit")!), e.PartitionKey, points,
            e.GetString("ClosedOn") is { } closed ? DateOnly.ParseExact(closed, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null);
        List<Domain.Common.ValidationError> errors = [];
        return dto.ToDomain(errors) ?? throw new InvalidOperationException($"Stored customer {e.RowKey} no longer passes validation: {string.Join("; ", errors)}");
    }

    static NetworkNode ToNode(TableEntity e) => new(
        Enum.Parse<NetworkLevel>(e.GetString("Level")!), e.GetString("Code")!, e.GetString("Name")!, e.GetString("ParentCode"),
        e.GetString("RatedKva") is { } kva ? decimal.Parse(kva, System.Globalization.CultureInfo.InvariantCulture) : null,
        e.GetString("MasterMeter") is { } master ? JsonSerializer.Deserialize<MasterMeterDto>(master, ArchiveJson.Options)!.ToDomain([]) : null);

    /// <summary>Customers are the same when their API representations are; lists compare element by element.</summary>
    public static bool Same(Customer a, Customer b) =>
        JsonSerializer.Serialize(CustomerDto.FromDomain(a), ArchiveJson.Options) == JsonSerializer.Serialize(CustomerDto.FromDomain(b), ArchiveJson.Options);
}
