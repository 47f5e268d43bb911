using MeterToCash.Domain.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// RFC 9457 problem responses (<c>application/problem+json</c>) used by every HTTP function. A broken rule is always a
/// <see cref="ValidationError"/> (field, rule, message), the one error record shared with the domain's validators.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Validation(IReadOnlyList<ValidationError> errors, int status = StatusCodes.Status400BadRequest) =>
        Create(status, "The request is not valid", $"{errors.Count} field(s) broke a rule; see 'errors'.", "validation", new Dictionary<string, object?> { ["errors"] = errors });

    public static ObjectResult Validation(string field, string rule, string message, int status = StatusCodes.Status400BadRequest) =>
        Validation([new ValidationError(field, rule, message)], status);

    /// <summary>422 <c>areas</c>/<c>unknown-area</c>: a run asked for a transformer area the network archive does not hold.</summary>
    public static ObjectResult UnknownArea(string area) =>
        Validation("areas", "unknown-area", $"Transformer area '{area}' is not in the network archive.", StatusCodes.Status422UnprocessableEntity);

    public static ObjectResult NotFound(string what) => Create(StatusCodes.Status404NotFound, "Not found", what, "not-found");

    public static ObjectResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict", detail, "conflict");

    public static ObjectResult PreconditionFailed(string detail) => Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail, "stale-etag");

    public static ObjectResult PreconditionRequired(string detail) => Create(StatusCodes.Status428PreconditionRequired, "Precondition required", detail, "if-match-required");

    public static ObjectResult Create(int status, string title, string detail, string type, IDictionary<string, object?>? extensions = null)
    {
        ProblemDetails problem = new() { Status = status, Title = title, Detail = detail, Type = $"https://metertocash.dev/problems/{type}" };
        if (extensions is not null)
        {
            foreach (KeyValuePair<string, object?> pair in extensions)
            {
                problem.Extensions[pair.Key] = pair.Value;
            }
        }

        ObjectResult result = new(problem) { StatusCode = status };
        result.ContentTypes.Add(ContentType);
        return result;
    }
}
