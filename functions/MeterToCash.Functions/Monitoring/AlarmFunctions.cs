using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Monitoring;

/// <summary>An alarm in API responses. Durations are whole seconds; live alarms have none.</summary>
public sealed record AlarmDto(
    string Id,
    AlarmKind Condition,
    string Subject,
    string Area,
    AlarmState State,
    AlarmSeverity Severity,
    Department Department,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    int Occurrences,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? Note,
    DateTimeOffset? ClosedAt,
    long? DurationSeconds,
    string? Detail)
{
    public static AlarmDto From(StoredAlarm s)
    {
        Alarm a = s.Alarm;
        return new(s.Id, a.Key.Kind, a.Key.Subject, s.Area, a.State, a.Severity, a.Department, a.OpenedAt, a.LastSeenAt, a.Occurrences,
            a.AcknowledgedBy, a.AcknowledgedAt, s.Note, a.ClosedAt, a.ClosedAt is { } c ? (long)(c - a.OpenedAt).TotalSeconds : null, a.Detail);
    }
}

/// <summary>A page of alarms.</summary>
public sealed record AlarmPageDto(IReadOnlyList<AlarmDto> Items, string? ContinuationToken);

/// <summary>Body of an acknowledgement: who takes the alarm and an optional note.</summary>
public sealed record AcknowledgeDto(string? Who, string? Note);

/// <summary>Alarm API: list, read, acknowledge, close.</summary>
public sealed class AlarmFunctions(AlarmStore store, TimeProvider time)
{
    const int MaxWhoLength = 64;
    const int MaxNoteLength = 1000;

    static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    [Function(nameof(ListAlarms))]
    public async Task<IActionResult> ListAlarms(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alarms")] HttpRequest request)
    {
        List<FieldError> errors = [];
        string? area = request.Query["area"].FirstOrDefault();
        if (area is not null && !ArchiveValidator.IsKey(area, ArchiveValidator.MaxCodeLength))
        {
            errors.Add(new("area", "code-format", "'area' must be a transformer-area code."));
        }

        AlarmState? state = ParseEnum<AlarmState>(request.Query["status"].FirstOrDefault(), "status", errors);
        AlarmSeverity? severity = ParseEnum<AlarmSeverity>(request.Query["severity"].FirstOrDefault(), "severity", errors);
        Department? department = ParseEnum<Department>(request.Query["department"].FirstOrDefault(), "department", errors);
        int pageSize = 50;
        if (request.Query["pageSize"].FirstOrDefault() is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            errors.Add(new("pageSize", "range", "'pageSize' must be a whole number from 1 to 1000."));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        string? token = request.Query["continuationToken"].FirstOrDefault();
        try
        {
            (IReadOnlyList<StoredAlarm> items, string? next) = await store.ListAsync(area, state, severity, department, pageSize, token, request.HttpContext.RequestAborted);
            return new OkObjectResult(new AlarmPageDto(items.Select(AlarmDto.From).ToList(), next));
        }
        catch (Exception e) when (e is RequestFailedException or FormatException or ArgumentException && token is not null)
        {
            return Problems.Validation("continuationToken", "token-format", "The continuation token is not one this API issued.");
        }
    }

    [Function(nameof(GetAlarm))]
    public async Task<IActionResult> GetAlarm(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alarms/{id}")] HttpRequest request,
        string id)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        StoredAlarm? alarm = await store.FindAsync(id, request.HttpContext.RequestAborted);
        return alarm is null ? Problems.NotFound($"No alarm '{id}'.") : new OkObjectResult(AlarmDto.From(alarm));
    }

    [Function(nameof(AcknowledgeAlarm))]
    public async Task<IActionResult> AcknowledgeAlarm(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alarms/{id}/acknowledge")] HttpRequest request,
        string id)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        (AcknowledgeDto? body, ObjectResult? problem) = await RequestJson.ReadAsync<AcknowledgeDto>(request, BodyJson, 16 * 1024);
        if (body is null)
        {
            return problem!;
        }

        List<FieldError> errors = [];
        if (string.IsNullOrWhiteSpace(body.Who) || body.Who.Length > MaxWhoLength)
        {
            errors.Add(new("who", "required", $"'who' (the operator taking the alarm) is required, at most {MaxWhoLength} characters."));
        }

        if (body.Note is { Length: > MaxNoteLength })
        {
            errors.Add(new("note", "max-length", $"'note' may be at most {MaxNoteLength} characters."));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await store.AcknowledgeAsync(id, body.Who!.Trim(), body.Note, time.GetUtcNow(), request.HttpContext.RequestAborted);
        return Respond(id, result);
    }

    [Function(nameof(CloseAlarm))]
    public async Task<IActionResult> CloseAlarm(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alarms/{id}/close")] HttpRequest request,
        string id)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var result = await store.CloseAsync(id, time.GetUtcNow(), request.HttpContext.RequestAborted);
        return Respond(id, result);
    }

    static IActionResult Respond(string id, (AlarmUpdateOutcome Outcome, StoredAlarm? Alarm, string? Error) result) => result.Outcome switch
    {
        AlarmUpdateOutcome.NotFound => Problems.NotFound($"No alarm '{id}'."),
        AlarmUpdateOutcome.InvalidTransition => Problems.Conflict($"Alarm '{id}' is {result.Alarm!.Alarm.State}: {result.Error}"),
        _ => new OkObjectResult(AlarmDto.From(result.Alarm!)),
    };

    static ObjectResult? InvalidId(string id) =>
        AlarmStore.TryParseId(id, out _, out _)
            ? null
            : Problems.Validation("id", "alarm-id-format", "An alarm id is '{area}~{condition}~{subject}~{openedAtUnixMs}', as returned by GET /api/alarms.");

    static T? ParseEnum<T>(string? value, string field, List<FieldError> errors)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        // Exact names only: Enum.TryParse would also accept "2" or "Metering,Operations" (a flags combination).
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        errors.Add(new(field, "enum", $"'{field}' must be one of: {string.Join(", ", Enum.GetNames<T>())}."));
        return null;
    }
}
