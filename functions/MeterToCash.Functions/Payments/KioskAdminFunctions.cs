using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Payments;

/// <summary>The kiosk device registry (master key): register or update a kiosk, rotate its secret.</summary>
public sealed class KioskAdminFunctions(ChannelDirectory channels, ILogger<KioskAdminFunctions> logger)
{
    /// <summary>
    /// Registers a kiosk (201 with its secret, answered this once) or updates its location, operator and enabled flag
    /// (200, no secret).
    /// </summary>
    [Function(nameof(PutKiosk))]
    public async Task<IActionResult> PutKiosk(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "kiosks/{deviceId}")] HttpRequest request,
        string deviceId)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        List<ValidationError> errors = [];
        if (!ChannelRequestSigner.IsChannelId(deviceId))
        {
            errors.Add(new("deviceId", "code-format", "Device ids are 3–32 of [A-Z0-9-]."));
        }

        (byte[]? body, ObjectResult? tooLarge) = await ReadAsync(request, ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        (KioskRegistrationRequest? registration, ObjectResult? bad) = PaymentRequests.Parse<KioskRegistrationRequest>(request, body!);
        if (bad is not null)
        {
            return bad;
        }

        string? location = Text(registration!.Location, "location", errors), @operator = Text(registration.Operator, "operator", errors);
        if (registration.Enabled is null)
        {
            errors.Add(new("enabled", "required", "'enabled' is required: true or false."));
        }

        if (errors.Count > 0)
        {
            return PaymentProblems.Invalid(errors);
        }

        (bool accepted, bool created, string? secret) = await channels.PutKioskAsync(deviceId, location!, @operator!, registration.Enabled!.Value, ct);
        if (!accepted)
        {
            return PaymentProblems.Create(409, PaymentProblems.ChannelIdTaken, $"{deviceId} is a configured bank or counter channel.");
        }

        logger.KioskRegistered(deviceId, registration.Enabled.Value);
        ContentResult answer = ChannelResponses.Json(new KioskAnswer(deviceId, location!, @operator!, registration.Enabled.Value, secret));
        answer.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        return answer;
    }

    /// <summary>Gives a kiosk a new secret, answered this once; the old one stops working at once. 404 <c>kiosk-not-found</c> for an unknown device.</summary>
    [Function(nameof(RotateKioskSecret))]
    public async Task<IActionResult> RotateKioskSecret(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "kiosks/{deviceId}/secret")] HttpRequest request,
        string deviceId)
    {
        if (!ChannelRequestSigner.IsChannelId(deviceId))
        {
            return PaymentProblems.Invalid("deviceId", "code-format", "Device ids are 3–32 of [A-Z0-9-].");
        }

        string? secret = await channels.RotateKioskSecretAsync(deviceId, request.HttpContext.RequestAborted);
        return secret is null
            ? PaymentProblems.Create(404, PaymentProblems.KioskNotFound, $"No kiosk {deviceId}.")
            : ChannelResponses.Json(new KioskSecretAnswer(deviceId, secret));
    }

    static async Task<(byte[]?, ObjectResult?)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using MemoryStream buffer = new();
            await RequestJson.CopyBoundedAsync(request.Body, buffer, PaymentOptions.MaxBodyBytes, ct);
            return (buffer.ToArray(), null);
        }
        catch (BodyTooLargeException)
        {
            return (null, PaymentProblems.Create(413, PaymentProblems.BodyTooLarge, "The body may be at most 65,536 bytes."));
        }
    }

    static string? Text(string? text, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > PaymentRequests.MaxKioskTextLength || text.Any(char.IsControl))
        {
            errors.Add(new(field, "text", $"'{field}' is required: 1–{PaymentRequests.MaxKioskTextLength} characters, no control characters."));
            return null;
        }

        return text.Trim();
    }
}
