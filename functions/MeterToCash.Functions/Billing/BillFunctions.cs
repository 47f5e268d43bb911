using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Billing;

/// <summary>Request body of a review or rebill: who decides, and why.</summary>
public sealed record BillReviewRequest(string? Who, string? Note);

/// <summary>
/// The bills API: an account's bills, one bill as JSON or as the customer's HTML document, and the review actions.
/// Release and cancel reach the bill's waiting cycle as its <c>BillReview</c> event; once the cycle has completed (its
/// review deadline passed) they apply directly, as a rebill does.
/// </summary>
public sealed class BillFunctions(BillStore bills, BillLifecycle lifecycle, ArchiveStore archive)
{
    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    [Function(nameof(ListAccountBills))]
    public async Task<IActionResult> ListAccountBills(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "accounts/{accountNo}/bills")] HttpRequest request,
        string accountNo)
    {
        List<ValidationError> errors = [];
        QueryRules.AccountNo(accountNo, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindAsync(accountNo, ct) is null)
        {
            return Problems.NotFound($"No account '{accountNo}'.");
        }

        IReadOnlyList<BillEntry> found = await bills.ListAsync(accountNo, ct);
        return new OkObjectResult(new { accountNo, bills = found.Select(Summary) });
    }

    /// <summary>A bill: JSON, or the HTML document when the client asks for <c>text/html</c>.</summary>
    [Function(nameof(GetBill))]
    public async Task<IActionResult> GetBill(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "bills/{id}")] HttpRequest request,
        string id)
    {
        if (await FindAsync(id, request) is not { } found)
        {
            return NotFoundOrInvalid(id);
        }

        bool html = request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
        return html ? Document(found) : new OkObjectResult(new BillDto(found.Bill, found.Status, found.StatusBy, found.StatusAt));
    }

    [Function(nameof(GetBillDocument))]
    public async Task<IActionResult> GetBillDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "bills/{id}/document")] HttpRequest request,
        string id) =>
        await FindAsync(id, request) is { } found ? Document(found) : NotFoundOrInvalid(id);

    [Function(nameof(ReleaseBill))]
    public Task<IActionResult> ReleaseBill(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bills/{id}/release")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) => ReviewAsync(request, client, id, BillReviewAction.Release);

    [Function(nameof(CancelBill))]
    public Task<IActionResult> CancelBill(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bills/{id}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) => ReviewAsync(request, client, id, BillReviewAction.Cancel);

    /// <summary>Cancels the bill (its charge reversed if issued) and bills the period again as the next revision.</summary>
    [Function(nameof(RebillBill))]
    public async Task<IActionResult> RebillBill(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "bills/{id}/rebill")] HttpRequest request,
        string id)
    {
        (BillReviewRequest? body, ObjectResult? problem) = await ReadReviewAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        if (await FindAsync(id, request) is not { } found)
        {
            return NotFoundOrInvalid(id);
        }

        (BillEntry cancelled, BillEntry rebilled) = await lifecycle.RebillAsync(found, body!.Who!, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { cancelled = Summary(cancelled), rebilled = Summary(rebilled) });
    }

    async Task<IActionResult> ReviewAsync(HttpRequest request, DurableTaskClient client, string id, BillReviewAction action)
    {
        (BillReviewRequest? body, ObjectResult? problem) = await ReadReviewAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await FindAsync(id, request) is not { } found)
        {
            return NotFoundOrInvalid(id);
        }

        if (found.Status != BillStatus.Held)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Not held", $"Bill {id} is {found.Status}; only a held bill can be released or cancelled.", "not-held");
        }

        BillReview review = new(found.Bill.BillId, action, body!.Who!, body.Note);
        OrchestrationMetadata? cycle = await client.GetInstanceAsync(found.Bill.CycleId, ct);
        if (cycle is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
        {
            await client.RaiseEventAsync(found.Bill.CycleId, BillingCycleWorkflow.ReviewEvent, review, ct);
            return new AcceptedResult($"/api/bills/{found.Bill.BillId}", new { billId = found.Bill.BillId, action, status = "Pending", cycleId = found.Bill.CycleId });
        }

        ReviewOutcome outcome = await lifecycle.ReviewAsync(review, ct);
        return new OkObjectResult(new { billId = outcome.BillId, action, status = outcome.Status, changed = outcome.Changed });
    }

    static async Task<(BillReviewRequest? Body, ObjectResult? Problem)> ReadReviewAsync(HttpRequest request)
    {
        (BillReviewRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<BillReviewRequest>(request, RequestOptions, 4 * 1024);
        if (problem is not null)
        {
            return (null, problem);
        }

        List<ValidationError> errors = [];
        TextRules.Check(errors, "who", body!.Who, 64, required: true);
        TextRules.Check(errors, "note", body.Note, 500, required: false);

        return errors.Count > 0 ? (null, RequestJson.Invalid(errors)) : (body, null);
    }

    async Task<BillEntry?> FindAsync(string id, HttpRequest request) =>
        BillStore.TryParseBillId(id, out _, out _) ? await bills.FindAsync(id, request.HttpContext.RequestAborted) : null;

    static ObjectResult NotFoundOrInvalid(string id) =>
        BillStore.TryParseBillId(id, out _, out _)
            ? Problems.NotFound($"There is no bill '{id}'.")
            : Problems.Validation("id", "bill-id-format", "A bill id is {account}-{yyyyMMdd}-r{nn}, e.g. 3100000000-20261101-r01.");

    static ContentResult Document(BillEntry found) =>
        new() { Content = BillDocument.Render(found.Bill, found.Status), ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK };

    static BillSummaryDto Summary(BillEntry entry) => new(
        entry.Bill.BillId,
        entry.Bill.AccountNo,
        $"{entry.Bill.PeriodStart:yyyy-MM-dd}/{entry.Bill.PeriodEnd:yyyy-MM-dd}",
        entry.Bill.Revision,
        entry.Status,
        entry.Bill.TotalFen,
        new Money(entry.Bill.TotalFen).ToString(),
        entry.Bill.DueDate,
        entry.Bill.Reasons);
}
