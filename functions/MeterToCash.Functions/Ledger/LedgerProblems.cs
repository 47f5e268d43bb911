using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Ledger;

/// <summary>
/// A refused posting as a problem response: never a 500. <c>duplicate-differs</c> and <c>contended</c> are 409 (the
/// request conflicts with what is stored, or with a concurrent writer: send it again); every other refusal is 422 naming
/// the rule (the refusal code) and the field it concerns. The problem's <c>code</c> is the refusal code.
/// </summary>
public static class LedgerProblems
{
    public static ObjectResult Refused(LedgerRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        int status = refusal.Code is LedgerRefusal.DuplicateDiffers or LedgerPostResult.Contended
            ? StatusCodes.Status409Conflict
            : StatusCodes.Status422UnprocessableEntity;
        string field = refusal.Code switch
        {
            LedgerRefusal.AmountInvalid => "amountFen",
            LedgerRefusal.ReasonRequired => "reason",
            LedgerRefusal.EntryIdInvalid or LedgerRefusal.DuplicateDiffers or LedgerRefusal.BillExists => "entryId",
            LedgerRefusal.BillIdInvalid or LedgerRefusal.UnknownBill or LedgerRefusal.BillHasLateFees => "billId",
            LedgerRefusal.DatesInvalid => "dueDate",
            LedgerRefusal.UnknownEntry or LedgerRefusal.AlreadyReversed or LedgerRefusal.NotReversible => "reversesEntryId",
            _ => "accountNo",
        };
        return Problems.Create(
            status,
            status == StatusCodes.Status409Conflict ? "Conflict" : "The posting was refused",
            refusal.Message,
            refusal.Code,
            new Dictionary<string, object?>
            {
                ["code"] = refusal.Code,
                ["errors"] = new[] { new ValidationError(field, refusal.Code, refusal.Message) },
            });
    }
}
