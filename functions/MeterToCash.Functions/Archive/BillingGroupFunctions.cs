using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Archive;

/// <summary>A billing group as PUT sends it; the code comes from the route.</summary>
public sealed record BillingGroupBodyDto(string? Name, int? CycleDay, IReadOnlyList<string?>? Areas);

/// <summary>
/// A billing group as the API returns it. <c>nextCycleDate</c> is the next China-local cycle run on or after today;
/// <c>currentPeriodStart</c>/<c>currentPeriodEnd</c> the period that run bills (start inclusive, end exclusive);
/// <c>accounts</c> is only filled by the single-group GET.
/// </summary>
public sealed record BillingGroupDto(string Code, string Name, int CycleDay, IReadOnlyList<string> Areas, DateOnly NextCycleDate, DateOnly CurrentPeriodStart, DateOnly CurrentPeriodEnd, int? Accounts);

/// <summary>Billing groups (抄表段) API: PUT (idempotent replace), list, and one group with its account count.</summary>
public sealed class BillingGroupFunctions(BillingGroups groups, ArchiveStore store, TimeProvider time, ILogger<BillingGroupFunctions> logger)
{
    [Function(nameof(PutBillingGroup))]
    public async Task<IActionResult> PutBillingGroup(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "billing-groups/{code}")] HttpRequest request,
        string code)
    {
        (BillingGroupBodyDto? dto, ObjectResult? problem) = await RequestJson.ReadAsync<BillingGroupBodyDto>(request, ArchiveJson.Options);
        if (problem is not null)
        {
            return problem;
        }

        List<ValidationError> errors = [];
        BillingGroup? group = BillingGroup.Create(code, dto!.Name, dto.CycleDay, dto.Areas, errors);
        if (group is null)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        HashSet<string> known = (await store.NetworkAsync(ct)).Where(n => n.Level == NetworkLevel.TransformerArea).Select(n => n.Code).ToHashSet(StringComparer.Ordinal);
        List<ValidationError> unknown = group.Areas.Where(a => !known.Contains(a))
            .Select(a => new ValidationError("areas", "unknown-area", $"Transformer area '{a}' is not in the network archive; create it first.")).ToList();
        if (unknown.Count > 0)
        {
            return RequestJson.Invalid(unknown, StatusCodes.Status422UnprocessableEntity);
        }

        (GroupWriteOutcome outcome, string? area, string? other) = await groups.PutAsync(group, ct);
        if (outcome == GroupWriteOutcome.AreaInAnotherGroup)
        {
            return Problems.Validation("areas", "area-in-another-group", $"Area '{area}' belongs to billing group '{other}'; an account is billed by exactly one group, so remove it there first.", StatusCodes.Status409Conflict);
        }

        if (outcome != GroupWriteOutcome.Unchanged)
        {
            logger.BillingGroupWritten(group.Code, outcome.ToString(), group.Areas.Count, group.CycleDay);
        }

        return new ObjectResult(ToDto(group, accounts: null)) { StatusCode = outcome == GroupWriteOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK };
    }

    [Function(nameof(ListBillingGroups))]
    public async Task<IActionResult> ListBillingGroups(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "billing-groups")] HttpRequest request)
    {
        IReadOnlyList<BillingGroup> all = await groups.GroupsAsync(request.HttpContext.RequestAborted);
        return new OkObjectResult(new { items = all.Select(g => ToDto(g, accounts: null)).ToList() });
    }

    [Function(nameof(GetBillingGroup))]
    public async Task<IActionResult> GetBillingGroup(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "billing-groups/{code}")] HttpRequest request,
        string code)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await groups.FindGroupAsync(code, ct) is not { } group)
        {
            return Problems.NotFound($"Billing group '{code}' does not exist.");
        }

        int accounts = 0;
        foreach (string area in group.Areas)
        {
            string? token = null;
            do
            {
                (IReadOnlyList<Customer> items, string? next) = await store.ListAsync(area, null, null, 1000, token, ct);
                accounts += items.Count;
                token = next;
            }
            while (token is not null);
        }

        return new OkObjectResult(ToDto(group, accounts));
    }

    BillingGroupDto ToDto(BillingGroup g, int? accounts)
    {
        DateOnly next = g.NextCycleOnOrAfter(ChinaTime.LocalDay(time.GetUtcNow()));
        Domain.Tariffs.BillingPeriod period = g.PeriodEndingIn(next.Year, next.Month);
        return new BillingGroupDto(g.Code, g.Name, g.CycleDay, g.Areas, next, period.Start, period.End, accounts);
    }
}
