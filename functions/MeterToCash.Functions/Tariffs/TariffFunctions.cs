using MeterToCash.Domain.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// The tariff catalogue API (电价目录): publish a version (master key), list, read a tariff or one version. The body
/// of a publish is a tariff document in the engine's schema (docs/tariffs.md) with exactly one version.
/// </summary>
public sealed class TariffFunctions(TariffStore store, TariffPublisher publisher)
{
    /// <summary>Tariff versions are a few KB; a Table string column holds 32K characters.</summary>
    const int MaxBodyBytes = 64 * 1024, MaxDocumentChars = 30_000, MaxCodeLength = 32, MaxVersionLength = 32;

    /// <summary>Name and sample note are one Table column each; a sentence or a paragraph, not a document.</summary>
    const int MaxTextLength = 2_000;

    // Duplicate names are refused: which of two "peak" prices the engine would read is not a question to leave open.
    static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false };

    [Function(nameof(PublishTariffVersion))]
    public async Task<IActionResult> PublishTariffVersion(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "tariffs/{code}/versions/{version}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string code,
        string version)
    {
        if (RouteProblem(code, version) is { } invalidRoute)
        {
            return invalidRoute;
        }

        (string? text, ObjectResult? problem) = await ReadBodyAsync(request);
        if (text is null)
        {
            return problem!;
        }

        (JsonObject? body, JsonException? malformed) = ParseObject(text);
        if (body is null)
        {
            // Not JSON, or not an object: the engine's loader says where, with a JSON path. It accepts duplicate names,
            // so for those the parser's own message is the answer.
            IReadOnlyList<TariffError> errors = TariffJson.Load(text).Errors;
            return errors.Count > 0 || malformed is null
                ? Invalid(errors)
                : Problems.Validation(malformed.Path ?? "$", "json", $"not valid JSON (line {malformed.LineNumber + 1}): {malformed.Message}");
        }

        if (!body.ContainsKey("id"))
        {
            body.Insert(0, "id", code);
        }
        else if (body["id"] is JsonValue id && id.TryGetValue(out string? idText) && idText != code)
        {
            return Problems.Validation("$.id", "matches-route", $"The document's id '{idText}' differs from the route's code '{code}'.");
        }

        TariffLoadResult loaded = TariffJson.Load(body.ToJsonString());
        if (!loaded.IsSuccess)
        {
            return Invalid(loaded.Errors);
        }

        List<ValidationError> tooLong = [.. new[] { ("$.name", loaded.Tariff.Name), ("$.sampleNote", loaded.Tariff.SampleNote ?? string.Empty) }
            .Where(f => f.Item2.Length > MaxTextLength)
            .Select(f => new ValidationError(f.Item1, "max-length", $"At most {MaxTextLength:N0} characters."))];
        if (tooLong.Count > 0)
        {
            return Problems.Validation(tooLong);
        }

        if (loaded.Tariff.Versions.Count != 1)
        {
            return Problems.Validation("$.versions", "one-version", $"Publish one version per request; the document has {loaded.Tariff.Versions.Count}.");
        }

        if (loaded.Tariff.Versions[0].Version != version)
        {
            return Problems.Validation("$.versions[0].version", "matches-route", $"The version label '{loaded.Tariff.Versions[0].Version}' differs from the route's '{version}'.");
        }

        if (TariffDocuments.Write(body["versions"]![0]!).Length > MaxDocumentChars)
        {
            return Problems.Validation("$.versions[0]", "max-size", $"A version may be at most {MaxDocumentChars:N0} characters of JSON.", StatusCodes.Status413PayloadTooLarge);
        }

        PublishResult result = await publisher.PublishAsync(code, body, loaded.Tariff, durable, request.HttpContext.RequestAborted);
        if (result.ListenersFailed)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Published; follow-up pending",
                $"Version '{version}' of tariff '{code}' is stored, but starting its follow-up work (recomputing month-to-date bands) failed. Send the same PUT again.", "follow-up-failed");
        }

        switch (result.Outcome)
        {
            case PublishOutcome.Created:
                request.HttpContext.Response.Headers.Location = $"/api/tariffs/{code}/versions/{version}";
                return new ObjectResult(PublishedVersionDto.From(result.Stored!, changed: true)) { StatusCode = StatusCodes.Status201Created };
            case PublishOutcome.Unchanged:
                return new OkObjectResult(PublishedVersionDto.From(result.Stored!, changed: false));
            case PublishOutcome.Conflict:
                return Problems.Conflict($"Version '{version}' of tariff '{code}' is already published with other content (published {result.Stored!.PublishedAt:u}). Published versions are immutable; publish the correction as a new version with its own effectiveFrom.");
            default:
                return Problems.Validation(result.Errors, StatusCodes.Status422UnprocessableEntity);
        }
    }

    [Function(nameof(ListTariffs))]
    public async Task<IActionResult> ListTariffs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tariffs")] HttpRequest request)
    {
        IReadOnlyList<PublishedVersion> all = await store.SummariesAsync(request.HttpContext.RequestAborted);
        List<TariffSummaryDto> tariffs = [.. all.GroupBy(v => v.Code, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            List<PublishedVersion> versions = [.. g.OrderBy(v => v.EffectiveFrom)];
            PublishedVersion latest = versions[^1];
            return new TariffSummaryDto(g.Key, latest.Name, latest.Kind, latest.Sample, [.. versions.Select(v => new TariffVersionSummaryDto(v.Version, v.EffectiveFrom))]);
        })];
        return new OkObjectResult(new TariffListDto(tariffs));
    }

    [Function(nameof(GetTariff))]
    public async Task<IActionResult> GetTariff(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tariffs/{code}")] HttpRequest request,
        string code)
    {
        if (!IsCode(code))
        {
            return CodeFormat();
        }

        IReadOnlyList<PublishedVersion> versions = await store.VersionsAsync(code, request.HttpContext.RequestAborted);
        if (versions.Count == 0)
        {
            return Problems.NotFound($"No tariff '{code}'.");
        }

        PublishedVersion latest = versions[^1];
        return new OkObjectResult(new TariffDto(
            code, latest.Name, latest.Kind, latest.Sample, latest.SampleNote,
            [.. versions.Select(v => PublishedVersionDto.From(v))],
            TariffDocuments.Compose(code, versions)));
    }

    [Function(nameof(GetTariffVersion))]
    public async Task<IActionResult> GetTariffVersion(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tariffs/{code}/versions/{version}")] HttpRequest request,
        string code,
        string version)
    {
        if (RouteProblem(code, version) is { } invalidRoute)
        {
            return invalidRoute;
        }

        PublishedVersion? stored = await store.FindAsync(code, version, request.HttpContext.RequestAborted);
        return stored is null
            ? Problems.NotFound($"No version '{version}' of tariff '{code}'.")
            : new OkObjectResult(PublishedVersionDto.From(stored, withDocument: true));
    }

    /// <summary>Tariff codes: 1–32 of A–Z, 0–9 and '-', e.g. <c>SH-RES-TOU</c>.</summary>
    public static bool IsCode(string? code) =>
        !string.IsNullOrEmpty(code) && code.Length <= MaxCodeLength && code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Version labels: 1–32 of letters, digits, '-', '_' and '.', e.g. <c>2024-07</c> (they become row keys).</summary>
    static bool IsVersionLabel(string? label) =>
        !string.IsNullOrEmpty(label) && label.Length <= MaxVersionLength && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    static ObjectResult CodeFormat() =>
        Problems.Validation("code", "code-format", $"Tariff codes are 1–{MaxCodeLength} of A–Z, 0–9 and '-'.");

    static ObjectResult? RouteProblem(string code, string version)
    {
        List<ValidationError> errors = [];
        if (!IsCode(code))
        {
            errors.Add(new("code", "code-format", $"Tariff codes are 1–{MaxCodeLength} of A–Z, 0–9 and '-'."));
        }

        if (!IsVersionLabel(version))
        {
            errors.Add(new("version", "version-format", $"Version labels are 1–{MaxVersionLength} letters, digits, '-', '_' or '.'."));
        }

        return errors.Count > 0 ? Problems.Validation(errors) : null;
    }

    static async Task<(string? Text, ObjectResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {MaxBodyBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Validation("Content-Type", "json-required", "Send the body as application/json.", StatusCodes.Status415UnsupportedMediaType));
        }

        using MemoryStream buffer = new();
        try
        {
            await RequestJson.CopyBoundedAsync(request.Body, buffer, MaxBodyBytes, request.HttpContext.RequestAborted);
        }
        catch (BodyTooLargeException)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {MaxBodyBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        return buffer.Length == 0
            ? (null, Problems.Validation("body", "required", "The request body is empty."))
            : (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF'), null);
    }

    static (JsonObject? Body, JsonException? Malformed) ParseObject(string text)
    {
        try
        {
            // Parsed as a document first: that is where duplicate names are detected, at any depth.
            using JsonDocument document = JsonDocument.Parse(text, DocumentOptions);
            return (JsonObject.Create(document.RootElement.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, e);
        }
        catch (InvalidOperationException)
        {
            // JsonObject.Create: the root is not an object.
            return (null, null);
        }
    }

    /// <summary>The engine's errors as one problem entry per JSON path, with a rule named from the kind of error.</summary>
    static ObjectResult Invalid(IReadOnlyList<TariffError> errors) =>
        Problems.Validation([.. errors.GroupBy(e => e.Path, StringComparer.Ordinal).Select(g =>
            new ValidationError(g.Key, Rule(g.First().Message), string.Join("; ", g.Select(e => e.Message))))]);

    static string Rule(string message) => message switch
    {
        _ when message.StartsWith("not valid JSON", StringComparison.Ordinal) => "json",
        _ when message.StartsWith("is required", StringComparison.Ordinal) => "required",
        _ when message.StartsWith("unknown property", StringComparison.Ordinal) => "unknown-property",
        _ when message.StartsWith("must be a ", StringComparison.Ordinal) || message.StartsWith("must be an ", StringComparison.Ordinal)
            || message.StartsWith("must be true or false", StringComparison.Ordinal) => "type",
        _ => "tariff-rule",
    };
}
