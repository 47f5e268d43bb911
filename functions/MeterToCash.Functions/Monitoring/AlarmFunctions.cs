using MeterToCash.Domain.Common;
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
        List<ValidationError> errors = [];
        string? area = QueryRules.Area(request, errors);
        AlarmState? state = QueryRules.Enum<AlarmState>(request, "status", errors);
        AlarmSeverity? severity = QueryRules.Enum<AlarmSeverity>(request, "severity", errors);
        Department? department = QueryRules.Enum<Department>(request, "department", errors);
        int pageSize = QueryRules.PageSize(request, errors);
        string? token = QueryRules.ContinuationToken(request, PageName, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        (IReadOnlyList<StoredAlarm> items, string? next) = await store.ListAsync(area, state, severity, department, pageSize, token, request.HttpContext.RequestAborted);
        return new OkObjectResult(new AlarmPageDto(items.Select(AlarmDto.From).ToList(), next is null ? null : PagingToken.Wrap(PageName, next)));
    }

    const string PageName = "alarms";

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

        List<ValidationError> errors = [];
        // The operator taking the alarm, and an optional note: the shared text rules (no control or bidi characters, visible).
        TextRules.Check(errors, "who", body.Who, MaxWhoLength, required: true);
        TextRules.Check(errors, "note", body.Note, MaxNoteLength, required: false);

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
}
