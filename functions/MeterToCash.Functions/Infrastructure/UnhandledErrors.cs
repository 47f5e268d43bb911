using System.Diagnostics;
using MeterToCash.Domain.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// What an HTTP caller gets when a function throws: a body the server refused to read is the caller's problem (413 or
/// 400 problem+json); anything else is a 500 problem+json with a correlation id, the same id as in the error log, and
/// nothing internal (no exception type, message or stack). Storage failures land here too: they are never a 400.
/// </summary>
public static class UnhandledErrors
{
    public static ObjectResult Problem(Exception exception, HttpContext context, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        switch (exception)
        {
            // The server's own body limit (Kestrel's MaxRequestBodySize; on Azure the host's request length limit).
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
            case BodyTooLargeException:
                return Refused(StatusCodes.Status413PayloadTooLarge, "body-too-large", new ValidationError("body", "max-size", "The body is larger than this endpoint accepts."));
            case BadHttpRequestException bad:
                return Refused(bad.StatusCode, "invalid-request", new ValidationError("body", "bad-request", "The request could not be read (" + bad.StatusCode + ")."));
        }

        string correlationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        logger.LogError(exception, "Unhandled error in {Method} {Path}; correlation id {CorrelationId}", context.Request.Method, context.Request.Path.Value, correlationId);
        return Problems.Create(StatusCodes.Status500InternalServerError, "Internal error", $"The request failed on our side. Quote correlation id {correlationId} when you report it.", "internal",
            new Dictionary<string, object?> { ["code"] = "internal-error", ["correlationId"] = correlationId });
    }

    // A request the server could not take, as a validation problem with the stable code the payment contract names.
    static ObjectResult Refused(int status, string code, ValidationError error) =>
        Problems.Create(status, "The request is not valid", "1 field(s) broke a rule; see 'errors'.", "validation", new Dictionary<string, object?> { ["code"] = code, ["errors"] = new[] { error } });

    /// <summary>Writes <see cref="Problem"/> unless the response has started (then the connection is all that is left to break).</summary>
    public static async Task WriteAsync(Exception exception, HttpContext context, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ObjectResult result = Problem(exception, context, logger);
        if (!context.Response.HasStarted)
        {
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }
    }
}

/// <summary>The Functions worker middleware that applies <see cref="UnhandledErrors"/> to every HTTP function (the LocalHost calls it directly).</summary>
public sealed class UnhandledErrorsMiddleware(ILogger<UnhandledErrorsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { RequestAborted.IsCancellationRequested: false } http)
        {
            await UnhandledErrors.WriteAsync(e, http, logger);
        }
    }
}
