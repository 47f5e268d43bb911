using MeterToCash.Domain.Common;
using System.Text.Json;
using MeterToCash.Functions.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Payments;

/// <summary>Channel answers: stored answers as they were stored, with <c>Idempotent-Replayed: true</c> on repeats.</summary>
public static class ChannelResponses
{
    public static IActionResult From(HttpRequest request, PaymentReply reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Answer is null)
        {
            return PaymentProblems.Create(reply.Status, reply.Code!, reply.Detail!, reply.Code == PaymentProblems.AmountInvalid ? [new ValidationError("amountFen", "range", reply.Detail!)] : null);
        }

        if (reply.Replayed)
        {
            request.HttpContext.Response.Headers[LedgerFunctions.ReplayedHeader] = "true";
        }

        return Json(reply.Answer);
    }

    public static ContentResult Json(string json) => new() { Content = json, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };

    public static ContentResult Json<T>(T value) => Json(JsonSerializer.Serialize(value, PaymentPoster.AnswerJson));
}
