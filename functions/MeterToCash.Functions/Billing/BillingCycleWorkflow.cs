using System.Globalization;
using System.Text.Json;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Calendar;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Billing;

/// <summary>A cycle's input: which group and period, and until when held bills wait for review.</summary>
public sealed record BillingCycleInput(string CycleId, string GroupCode, DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset ReviewUntil)
{
    public CycleRef Cycle => new(CycleId, GroupCode, PeriodStart, PeriodEnd);
}

/// <summary>A batch of a cycle: account numbers of one transformer area, in account order.</summary>
public sealed record AccountBatch(string Area, string[] Accounts);

/// <summary>One sub-orchestration's share of a cycle: batches of accounts.</summary>
public sealed record BillingCycleSlice(BillingCycleInput Input, IReadOnlyList<AccountBatch> Batches);

/// <summary>One activity's share: a batch of accounts.</summary>
public sealed record BillingBatch(BillingCycleInput Input, AccountBatch Batch);

/// <summary>Accounts of a cycle by what happened to their bill.</summary>
/// <param name="Issued">Issued and charged.</param>
/// <param name="Held">Held for review.</param>
/// <param name="Cancelled">Cancelled in review.</param>
/// <param name="Failed">Could not be billed at all (the account left the archive while the cycle ran).</param>
public sealed record CycleTally(int Issued, int Held, int Cancelled, int Failed)
{
    public static readonly CycleTally Zero = new(0, 0, 0, 0);

    public int Total => Issued + Held + Cancelled + Failed;

    public static CycleTally operator +(CycleTally a, CycleTally b) =>
        new(a.Issued + b.Issued, a.Held + b.Held, a.Cancelled + b.Cancelled, a.Failed + b.Failed);
}

/// <summary>A reviewer's decision on a held bill, raised to the waiting cycle as the external event <c>BillReview</c>.</summary>
public sealed record BillReview(string BillId, BillReviewAction Action, string By, string? Note);

/// <summary>What a reviewer decides.</summary>
public enum BillReviewAction
{
    /// <summary>Issue the held bill as it is.</summary>
    Release,

    /// <summary>Cancel it: it is never charged.</summary>
    Cancel,
}

/// <summary>A cycle's progress as its custom status: the phase, the accounts to bill, and the tally so far.</summary>
public sealed record CycleProgress(string Phase, int Accounts, CycleTally Tally, DateTimeOffset? ReviewUntil);

/// <summary>Request body of <c>POST /api/billing/cycles</c>: a group and the month its period starts in (<c>yyyy-MM</c>).</summary>
public sealed record StartCycleRequest(string? Group, string? Period);

/// <summary>A cycle as the API reports it.</summary>
public sealed record CycleStatusDto(string Id, string Status, string Group, DateOnly PeriodStart, DateOnly PeriodEnd, string Phase, int Accounts, int Issued, int Held, int Cancelled, int Failed, int Remaining, DateTimeOffset? ReviewUntil, string? Failure);

/// <summary>
/// A billing cycle (抄表段 × period) as one orchestration with a deterministic id, <c>billing-{group}-{period start}</c>:
/// starting it again answers the running or finished cycle. The group's accounts fan out in batches of
/// <see cref="BillingOptions.AccountsPerBatchFor"/> the cycle's size over sub-orchestrations of <see cref="BillingOptions.BatchesPerSubOrchestration"/>
/// batches, one activity per batch (<see cref="AccountBiller"/>, then <see cref="BillLifecycle"/> charges what is
/// issued). Then the review phase: held bills wait for <c>BillReview</c> events (release or cancel) until none is held
/// or <see cref="BillingOptions.ReviewHours"/> have passed, when the cycle completes and reports what is still held.
/// Every step is idempotent, so a replay, a retried activity or a host killed mid-cycle bills each account once.
/// </summary>
public sealed class BillingCycleWorkflow(
    ArchiveStore archive,
    BillingGroups groups,
    AccountBiller biller,
    BillLifecycle lifecycle,
    BillStore bills,
    HolidayCalendars calendars,
    TimeProvider time,
    IOptions<BillingOptions> options,
    ILogger<BillingCycleWorkflow> logger)
{
    public const string InstancePrefix = "billing-", ReviewEvent = "BillReview";

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The deterministic id of a group's cycle for the period starting on <paramref name="periodStart"/>.</summary>
    public static string CycleId(string groupCode, DateOnly periodStart) =>
        InstancePrefix + groupCode + "-" + periodStart.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [Function(nameof(StartDueBillingCycles))]
    public async Task StartDueBillingCycles(
        [TimerTrigger("%Billing__CycleSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        DateOnly today = ChinaTime.LocalDay(time.GetUtcNow());
        foreach (BillingGroup group in (await groups.GroupsAsync(cancellationToken)).Where(g => g.CycleDay == today.Day))
        {
            BillingPeriod period = group.PeriodEndingIn(today.Year, today.Month);
            if (await MissingCalendarYearAsync(period, cancellationToken) is { } year)
            {
                logger.CycleNotStarted(group.Code, period.Start, $"the {year} holiday calendar is not published");
                continue;
            }

            await StartAsync(client, group.Code, period, cancellationToken);
        }
    }

    /// <summary>Starts a group's cycle by hand: <c>{"group":"BG-EAST","period":"2026-11"}</c> (the month the period starts in). 202, or 200 with the existing cycle.</summary>
    [Function(nameof(StartBillingCycle))]
    public async Task<IActionResult> StartBillingCycle(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "billing/cycles")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (StartCycleRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<StartCycleRequest>(request, RequestOptions, 4 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        List<ValidationError> errors = [];
        if (!BillingGroup.IsCode(body!.Group))
        {
            errors.Add(new("group", "code-format", "'group' is a billing group code: 1–32 of A–Z, 0–9 and '-'."));
        }

        if (!DateOnly.TryParseExact(body.Period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly month) || month.Year is < 2000 or > 2099)
        {
            errors.Add(new("period", "month-format", "'period' is the month the billing period starts in, yyyy-MM, 2000–2099."));
        }

        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        if (await groups.FindGroupAsync(body.Group!, ct) is not { } group)
        {
            return Problems.Validation("group", "unknown-group", $"There is no billing group '{body.Group}'.", StatusCodes.Status422UnprocessableEntity);
        }

        BillingPeriod period = group.PeriodStartingIn(month.Year, month.Month);
        if (period.End > ChinaTime.LocalDay(time.GetUtcNow()))
        {
            return Problems.Validation("period", "period-not-ended", $"The period {period} has not ended; a cycle bills ended periods only.", StatusCodes.Status422UnprocessableEntity);
        }

        if (await MissingCalendarYearAsync(period, ct) is { } year)
        {
            return Problems.Validation("period", "calendar-not-published", $"The period {period} includes days of {year}, whose holiday calendar is not published: bills need every day's type. Publish it with PUT /api/calendars/{year}.", StatusCodes.Status422UnprocessableEntity);
        }

        (string id, bool started) = await StartAsync(client, group.Code, period, ct);
        request.HttpContext.Response.Headers.Location = $"/api/billing/cycles/{id}";
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, ct);
        CycleStatusDto status = instance is null ? Pending(id, group.Code, period) : Status(instance);
        return started ? new ObjectResult(status) { StatusCode = StatusCodes.Status202Accepted } : new OkObjectResult(status);
    }

    [Function(nameof(GetBillingCycle))]
    public async Task<IActionResult> GetBillingCycle(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "billing/cycles/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id)
    {
        OrchestrationMetadata? instance = IsCycleId(id) ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, request.HttpContext.RequestAborted) : null;
        return instance?.ReadInputAs<BillingCycleInput>() is null ? Problems.NotFound($"There is no billing cycle '{id}'.") : new OkObjectResult(Status(instance));
    }

    /// <summary>The cycle's bills, optionally of one status (<c>?status=Held</c> lists what waits for review).</summary>
    [Function(nameof(ListCycleBills))]
    public async Task<IActionResult> ListCycleBills(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "billing/cycles/{id}/bills")] HttpRequest request,
        string id)
    {
        string? statusText = request.Query["status"].FirstOrDefault();
        BillStatus? status = null;
        if (statusText is not null)
        {
            if (!EnumNames.TryParse(statusText, out BillStatus parsed))
            {
                return Problems.Validation("status", "bill-status", "'status' is Held, Issued or Cancelled.");
            }

            status = parsed;
        }

        if (!IsCycleId(id))
        {
            return Problems.NotFound($"There is no billing cycle '{id}'.");
        }

        IReadOnlyList<CycleBill> found = await bills.CycleBillsAsync(id, request.HttpContext.RequestAborted);
        return new OkObjectResult(new
        {
            cycleId = id,
            status = statusText,
            bills = found.Where(b => status is null || b.Status == status).Select(b => new { b.AccountNo, b.BillId, b.Status, b.TotalFen, total = new Money(b.TotalFen).ToString(), b.Reasons }),
        });
    }

    [Function(nameof(BillingCycle))]
    public static async Task<CycleProgress> BillingCycle([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        BillingCycleInput input = context.GetInput<BillingCycleInput>() ?? throw new InvalidOperationException("A billing cycle needs its input.");
        context.SetCustomStatus(new CycleProgress("Planning", 0, CycleTally.Zero, input.ReviewUntil));
        BillingPlan plan = await context.CallActivityAsync<BillingPlan>(nameof(PlanBillingCycle), input, DurableFanOut.Retry);
        context.SetCustomStatus(new CycleProgress("Billing", plan.Accounts, CycleTally.Zero, input.ReviewUntil));
        IReadOnlyList<BillingCycleSlice> slices = [.. plan.Slices.Select(batches => new BillingCycleSlice(input, batches))];
        IReadOnlyList<CycleTally> parts = await DurableFanOut.SubOrchestrationsAsync<BillingCycleSlice, CycleTally>(context, nameof(BillingCycleBatches), slices);
        CycleTally tally = parts.Aggregate(CycleTally.Zero, (a, b) => a + b);

        while (tally.Held > 0 && context.CurrentUtcDateTime < input.ReviewUntil.UtcDateTime)
        {
            context.SetCustomStatus(new CycleProgress("Review", plan.Accounts, tally, input.ReviewUntil));
            BillReview review;
            try
            {
                review = await context.WaitForExternalEvent<BillReview>(ReviewEvent, input.ReviewUntil.UtcDateTime - context.CurrentUtcDateTime);
            }
            catch (TaskCanceledException)
            {
                break;
            }

            ReviewOutcome outcome = await context.CallActivityAsync<ReviewOutcome>(nameof(ApplyBillReview), review, DurableFanOut.Retry);
            if (outcome.Changed)
            {
                tally = outcome.Status == BillStatus.Issued
                    ? tally with { Held = tally.Held - 1, Issued = tally.Issued + 1 }
                    : tally with { Held = tally.Held - 1, Cancelled = tally.Cancelled + 1 };
            }
        }

        CycleProgress done = new(tally.Held > 0 ? "CompletedWithHeldBills" : "Completed", plan.Accounts, tally, input.ReviewUntil);
        context.SetCustomStatus(done);
        return done;
    }

    [Function(nameof(BillingCycleBatches))]
    public static async Task<CycleTally> BillingCycleBatches([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        BillingCycleSlice slice = context.GetInput<BillingCycleSlice>() ?? throw new InvalidOperationException("A billing slice needs its input.");
        CycleTally[] parts = await Task.WhenAll(slice.Batches.Select(batch =>
            context.CallActivityAsync<CycleTally>(nameof(BillAccountBatch), new BillingBatch(slice.Input, batch), DurableFanOut.Retry)));
        return parts.Aggregate(CycleTally.Zero, (a, b) => a + b);
    }

    /// <summary>The group's accounts (every customer managed in its areas), in batches of one area each, grouped into slices.</summary>
    [Function(nameof(PlanBillingCycle))]
    public async Task<BillingPlan> PlanBillingCycle([ActivityTrigger] BillingCycleInput input)
    {
        BillingGroup group = await groups.FindGroupAsync(input.GroupCode, CancellationToken.None)
            ?? throw new InvalidOperationException($"Billing group '{input.GroupCode}' is gone.");
        BillingOptions o = options.Value;
        List<(string Area, List<string> Accounts)> byArea = [];
        foreach (string area in group.Areas.Order(StringComparer.Ordinal))
        {
            byArea.Add((area, await AccountsInAreaAsync(area)));
        }

        int accounts = byArea.Sum(area => area.Accounts.Count);
        int perBatch = o.AccountsPerBatchFor(accounts);
        AccountBatch[] batches = [.. byArea.SelectMany(area => area.Accounts.Order(StringComparer.Ordinal).Chunk(perBatch).Select(chunk => new AccountBatch(area.Area, chunk)))];
        return new BillingPlan(accounts, [.. batches.Chunk(o.BatchesPerSubOrchestration).Select(s => (IReadOnlyList<AccountBatch>)s)]);
    }

    /// <summary>Every account managed in the area, read from the archive a page at a time.</summary>
    async Task<List<string>> AccountsInAreaAsync(string area)
    {
        List<string> inArea = [];
        string? token = null;
        do
        {
            (IReadOnlyList<Customer> page, token) = await archive.ListAsync(area, null, null, 1000, token, CancellationToken.None);
            inArea.AddRange(page.Select(c => c.AccountNo));
        }
        while (token is not null);

        return inArea;
    }

    /// <summary>
    /// Bills a batch of accounts: their customers in one range read of the area, each account's bill made or found again
    /// (<see cref="BillingOptions.AccountsInParallel"/> at a time, the curves the batch needs read together), then the
    /// batch settled together; an account already
    /// billed for the period gets its bill back, and one that left the archive counts as failed.
    /// </summary>
    [Function(nameof(BillAccountBatch))]
    public async Task<CycleTally> BillAccountBatch([ActivityTrigger] BillingBatch batch)
    {
        AccountBatch accounts = batch.Batch;
        IReadOnlyList<Customer> customers = await archive.ListRangeAsync(accounts.Area, accounts.Accounts[0], accounts.Accounts[^1], CancellationToken.None);
        HashSet<string> wanted = [.. accounts.Accounts];
        Customer[] toBill = [.. customers.Where(c => wanted.Contains(c.AccountNo))];
        int parallelism = options.Value.AccountsInParallel;
        BillEntry[] entries = await biller.BillAsync(toBill, batch.Input.Cycle, parallelism, CancellationToken.None);
        await lifecycle.SettleAsync(entries, parallelism, CancellationToken.None);
        return entries.Aggregate(CycleTally.Zero with { Failed = accounts.Accounts.Length - toBill.Length }, (tally, entry) => tally + entry.Status switch
        {
            BillStatus.Issued => CycleTally.Zero with { Issued = 1 },
            BillStatus.Held => CycleTally.Zero with { Held = 1 },
            _ => CycleTally.Zero with { Cancelled = 1 },
        });
    }

    [Function(nameof(ApplyBillReview))]
    public Task<ReviewOutcome> ApplyBillReview([ActivityTrigger] BillReview review) =>
        lifecycle.ReviewAsync(review, CancellationToken.None);

    async Task<(string Id, bool Started)> StartAsync(DurableTaskClient client, string groupCode, BillingPeriod period, CancellationToken cancellationToken)
    {
        string id = CycleId(groupCode, period.Start);
        if (await client.GetInstanceAsync(id, cancellationToken) is not null)
        {
            return (id, false);
        }

        BillingCycleInput input = new(id, groupCode, period.Start, period.End, time.GetUtcNow().AddHours(options.Value.ReviewHours));
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(BillingCycle), input, new StartOrchestrationOptions(id), cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Started concurrently by another request or the timer: one cycle either way.
            if (await client.GetInstanceAsync(id, cancellationToken) is not null)
            {
                return (id, false);
            }

            throw;
        }

        logger.CycleStarted(id, groupCode, period.Start, period.End);
        return (id, true);
    }

    async Task<int?> MissingCalendarYearAsync(BillingPeriod period, CancellationToken cancellationToken)
    {
        for (int year = period.Start.Year; year <= period.End.AddDays(-1).Year; year++)
        {
            if (await calendars.GetAsync(year, cancellationToken) is null)
            {
                return year;
            }
        }

        return null;
    }

    static bool IsCycleId(string id) => id.StartsWith(InstancePrefix, StringComparison.Ordinal) && id.Length <= 80;

    static CycleStatusDto Pending(string id, string group, BillingPeriod period) =>
        new(id, "Pending", group, period.Start, period.End, "Planning", 0, 0, 0, 0, 0, 0, null, null);

    static CycleStatusDto Status(OrchestrationMetadata instance)
    {
        BillingCycleInput input = instance.ReadInputAs<BillingCycleInput>()!;
        CycleProgress progress = (instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<CycleProgress>() : instance.ReadCustomStatusAs<CycleProgress>())
            ?? new CycleProgress("Planning", 0, CycleTally.Zero, input.ReviewUntil);
        CycleTally t = progress.Tally;
        return new CycleStatusDto(
            instance.InstanceId, instance.RuntimeStatus.ToString(), input.GroupCode, input.PeriodStart, input.PeriodEnd, progress.Phase, progress.Accounts,
            t.Issued, t.Held, t.Cancelled, t.Failed, Math.Max(0, progress.Accounts - t.Total), progress.ReviewUntil, DurableStatus.Error(instance));
    }
}

/// <summary>A cycle's plan: how many accounts, and their batches grouped per sub-orchestration.</summary>
public sealed record BillingPlan(int Accounts, IReadOnlyList<IReadOnlyList<AccountBatch>> Slices);

/// <summary>What a review did: whether the bill changed status, and its status now.</summary>
public sealed record ReviewOutcome(string BillId, bool Changed, BillStatus Status);
