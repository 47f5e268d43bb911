using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;

namespace MeterToCash.Functions.Archive;

/// <summary>Outcome of <see cref="BillingGroups.PutAsync"/>.</summary>
public enum GroupWriteOutcome
{
    Created,
    Unchanged,
    Updated,

    /// <summary>An area of the group is claimed by another group; nothing was written.</summary>
    AreaInAnotherGroup,
}

/// <summary>
/// Billing groups (抄表段) in the archive's <c>BillingGroups</c> table, the API other features call for them.
/// </summary>
/// <remarks>
/// One partition, <c>group</c>: a row per group (row key = its code) and a claim row per area it holds (row key
/// <c>area|{areaCode}</c>, never a group code since '|' is not allowed in one). A PUT writes the group row and its claim
/// changes in one entity-group transaction: new claims are inserts, so two groups racing for the same area cannot both
/// win, and the group row is written under its ETag, so two PUTs of the same group cannot interleave. A transaction holds
/// at most 100 actions, hence <see cref="BillingGroup.MaxAreas"/> = 49 (49 claims dropped + 49 added + the group row).
/// </remarks>
public sealed class BillingGroups(ArchiveTables tables)
{
    public const string Partition = "group";
    const string ClaimPrefix = "area|";

    /// <summary>The group with this code, or null.</summary>
    public async Task<BillingGroup?> FindGroupAsync(string code, CancellationToken cancellationToken = default) =>
        (await FindEntityAsync(code, cancellationToken)) is { } entity ? ToGroup(entity) : null;

    /// <summary>All groups, ordered by code.</summary>
    public async Task<IReadOnlyList<BillingGroup>> GroupsAsync(CancellationToken cancellationToken = default)
    {
        List<BillingGroup> groups = [];
        await foreach (TableEntity entity in tables.BillingGroups.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            if (!entity.RowKey.StartsWith(ClaimPrefix, StringComparison.Ordinal))
            {
                groups.Add(ToGroup(entity));
            }
        }

        return [.. groups.OrderBy(g => g.Code, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Creates or replaces a group (areas must exist: the caller checks). The same content again is
    /// <see cref="GroupWriteOutcome.Unchanged"/> and writes nothing. Returns the conflicting area and its group when
    /// <see cref="GroupWriteOutcome.AreaInAnotherGroup"/>.
    /// </summary>
    public async Task<(GroupWriteOutcome Outcome, string? Area, string? OtherGroup)> PutAsync(BillingGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        for (int attempt = 0; ; attempt++)
        {
            // Claims by others first: a clear answer without trying the transaction.
            foreach (string area in group.Areas)
            {
                NullableResponse<TableEntity> claim = await tables.BillingGroups.GetEntityIfExistsAsync<TableEntity>(Partition, ClaimPrefix + area, cancellationToken: cancellationToken);
                if (claim.HasValue && claim.Value!.GetString("Group") is { } owner && owner != group.Code)
                {
                    return (GroupWriteOutcome.AreaInAnotherGroup, area, owner);
                }
            }

            TableEntity? existing = await FindEntityAsync(group.Code, cancellationToken);
            BillingGroup? before = existing is null ? null : ToGroup(existing);
            if (before is not null && Same(before, group))
            {
                return (GroupWriteOutcome.Unchanged, null, null);
            }

            IReadOnlyList<string> held = before?.Areas ?? [];
            List<TableTransactionAction> actions = [];
            actions.AddRange(group.Areas.Except(held).Select(a => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(Partition, ClaimPrefix + a) { ["Group"] = group.Code })));
            actions.AddRange(held.Except(group.Areas).Select(a => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(Partition, ClaimPrefix + a), ETag.All)));
            actions.Add(existing is null
                ? new TableTransactionAction(TableTransactionActionType.Add, ToEntity(group))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(group), existing.ETag));
            try
            {
                await tables.BillingGroups.SubmitTransactionAsync(actions, cancellationToken);
                return (existing is null ? GroupWriteOutcome.Created : GroupWriteOutcome.Updated, null, null);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404 && attempt < 3)
            {
                // A concurrent write (another group claimed an area, or this group changed): read again and decide anew.
            }
        }
    }

    async Task<TableEntity?> FindEntityAsync(string code, CancellationToken cancellationToken)
    {
        if (!BillingGroup.IsCode(code))
        {
            return null;
        }

        NullableResponse<TableEntity> entity = await tables.BillingGroups.GetEntityIfExistsAsync<TableEntity>(Partition, code, cancellationToken: cancellationToken);
        return entity.HasValue ? entity.Value : null;
    }

    static bool Same(BillingGroup a, BillingGroup b) =>
        a.Code == b.Code && a.Name == b.Name && a.CycleDay == b.CycleDay && a.Areas.SequenceEqual(b.Areas, StringComparer.Ordinal);

    static TableEntity ToEntity(BillingGroup g) => new(Partition, g.Code)
    {
        ["Name"] = g.Name,
        ["CycleDay"] = g.CycleDay,
        ["Areas"] = string.Join(',', g.Areas),
    };

    static BillingGroup ToGroup(TableEntity e)
    {
        List<ValidationError> errors = [];
        return BillingGroup.Create(e.RowKey, e.GetString("Name"), e.GetInt32("CycleDay"), (e.GetString("Areas") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries), errors)
            ?? throw new InvalidOperationException($"Stored billing group {e.RowKey} no longer passes validation: {string.Join("; ", errors)}");
    }
}
