using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ledger;

/// <summary>The account ledger API: an account's statement (function key) and manual adjustments 退补 (master key: a back-office decision).</summary>
public sealed class LedgerFunctions(AccountLedger ledger, ArchiveStore archive, TimeProvider time, ILogger<LedgerFunctions> logger)
{
    /// <summary>Longest statement, in days (from and to inclusive).</summary>
    public const int MaxStatementDays = 400;

    /// <summary>Longest entry id of an adjustment.</summary>
    public const int MaxEntryIdLength = 100;

    /// <summary>Longest reason of an adjustment.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The response header that marks an answer repeated from an earlier identical request.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict };

    /// <summary>
    /// The statement of <c>from</c>–<c>to</c> (China-local days yyyy-MM-dd, both inclusive, at most 400 days; by default
    /// 1 January of this year to today) with the account's balance and open bills now.
    /// </summary>
    [Function(nameof(GetLedger))]
    public async Task<IActionResult> GetLedger(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "accounts/{accountNo}/ledger")] HttpRequest request,
        string accountNo)
    {
        List<ValidationError> errors = [];
        QueryRules.AccountNo(accountNo, errors);
        DateOnly today = ChinaTime.LocalDay(time.GetUtcNow());
        DateOnly? to = OptionalDay(request, "to", errors);
        DateOnly? from = OptionalDay(request, "from", errors);
        DateOnly last = to ?? today, first = from ?? new DateOnly(last.Year, 1, 1);
        if (errors.Count == 0)
        {
            if (last < first)
            {
                errors.Add(new(to is null ? "from" : "to", "range-order", "'to' must not be before 'from' ('to' defaults to today)."));
            }
            else if (last.DayNumber - first.DayNumber + 1 > MaxStatementDays)
            {
                errors.Add(new("to", "range-too-long", string.Create(CultureInfo.InvariantCulture, $"At most {MaxStatementDays} days per statement (from and to inclusive).")));
            }
        }

        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindAsync(accountNo, ct) is null)
        {
            return Problems.NotFound($"No account '{accountNo}'.");
        }

        IReadOnlyList<LedgerEntry> entries = await ledger.EntriesAsync(accountNo, ct);
        LedgerState state = LedgerState.Replay(entries);
        LedgerStatement statement = LedgerStatement.For(entries, first, last);
        return new OkObjectResult(new LedgerStatementDto(
            accountNo,
            statement.From,
            statement.To,
            statement.OpeningBalance.Fen,
            statement.Entries.Select(LedgerEntryDto.From).ToList(),
            statement.ClosingBalance.Fen,
            state.Balance.Fen,
            state.Credit.Fen,
            state.Bills.Where(b => b.OpenTotal.Fen > 0).Select(OpenBillDto.From).ToList()));
    }

    /// <summary>
    /// Posts an adjustment: 201 with the entry; the same entry id and body again 200 with the original entry and
    /// <c>Idempotent-Replayed: true</c>; the same id with another body 409 <c>duplicate-differs</c>.
    /// </summary>
    [Function(nameof(PostAdjustment))]
    public async Task<IActionResult> PostAdjustment(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "accounts/{accountNo}/ledger/adjustments")] HttpRequest request,
        string accountNo)
    {
        List<ValidationError> errors = [];
        QueryRules.AccountNo(accountNo, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        (AdjustmentRequestDto? body, ObjectResult? problem) = await RequestJson.ReadAsync<AdjustmentRequestDto>(request, BodyJson, 16 * 1024);
        if (body is null)
        {
            return problem!;
        }

        Money amount = CheckAdjustment(body, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindAsync(accountNo, ct) is null)
        {
            return Problems.NotFound($"No account '{accountNo}'.");
        }

        LedgerPostResult result = await ledger.AdjustAsync(accountNo, body.EntryId!, amount, body.Reason!.Trim(), ct);
        logger.AdjustmentAnswered(accountNo, body.EntryId!, amount.Fen, result.Outcome);
        switch (result.Outcome)
        {
            case PostingOutcome.Posted:
                return new ObjectResult(LedgerEntryDto.From(result.Entry!)) { StatusCode = StatusCodes.Status201Created };
            case PostingOutcome.Replayed:
                request.HttpContext.Response.Headers[ReplayedHeader] = "true";
                return new OkObjectResult(LedgerEntryDto.From(result.Entry!));
            case PostingOutcome.Refused:
                return LedgerProblems.Refused(result.Refusal!);
            default:
                return LedgerProblems.Refused(new LedgerRefusal("nothing-to-post", "The adjustment posts nothing."));
        }
    }

    /// <summary>The body's rules: entry id 1–100 of letters, digits and <c>-_:.</c>; amount whole fen, not zero, |amount| ≤ 1,000,000,000; a reason.</summary>
    static Money CheckAdjustment(AdjustmentRequestDto body, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(body.EntryId))
        {
            errors.Add(new("entryId", "required", "'entryId' (the idempotency key of the adjustment) is required."));
        }
        else if (body.EntryId.Length > MaxEntryIdLength || !body.EntryId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.'))
        {
            errors.Add(new("entryId", "entry-id-format", string.Create(CultureInfo.InvariantCulture, $"'entryId' is 1–{MaxEntryIdLength} letters, digits, '-', '_', ':' or '.'.")));
        }

        Money amount = Money.Zero;
        if (body.AmountFen is not decimal fen)
        {
            errors.Add(new("amountFen", "required", "'amountFen' (signed fen: positive debit, negative credit) is required."));
        }
        else if (decimal.Truncate(fen) != fen)
        {
            errors.Add(new("amountFen", "whole-fen", "'amountFen' is a whole number of fen."));
        }
        else if (fen == 0)
        {
            errors.Add(new("amountFen", "non-zero", "'amountFen' must not be zero: positive is a debit, negative a credit."));
        }
        else if (Math.Abs(fen) > LedgerPostings.MaxAmount.Fen)
        {
            errors.Add(new("amountFen", "range", string.Create(CultureInfo.InvariantCulture, $"|amountFen| is at most {LedgerPostings.MaxAmount.Fen:N0} fen.")));
        }
        else
        {
            amount = new Money((long)fen);
        }

        TextRules.Check(errors, "reason", body.Reason?.Trim(), MaxReasonLength, required: true);

        return amount;
    }

    static DateOnly? OptionalDay(HttpRequest request, string name, List<ValidationError> errors)
    {
        if (request.Query[name].FirstOrDefault() is not { } text)
        {
            return null;
        }

        if (QueryRules.TryParseDay(text, out DateOnly day))
        {
            return day;
        }

        errors.Add(new(name, "date-format", $"'{name}' is a China-local day as yyyy-MM-dd, 2000–2099."));
        return null;
    }
}
