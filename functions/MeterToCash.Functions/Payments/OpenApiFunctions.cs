using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>The payment-channel contract as OpenAPI 3.1 (anonymous), and a Scalar reference page reading it.</summary>
public sealed class OpenApiFunctions
{
    const string ReferencePage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>MeterToCash payment channels</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body>
        <script id="api-reference" data-url="/api/openapi.json"></script>
        <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
        <noscript>The reference needs JavaScript; the document itself is <a href="/api/openapi.json">/api/openapi.json</a>.</noscript>
        </body>
        </html>
        """;

    /// <summary><c>GET /api/openapi.json</c>: the OpenAPI 3.1 document of every channel endpoint.</summary>
    [Function(nameof(GetOpenApiDocument))]
    public static IActionResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new ContentResult { Content = PaymentOpenApi.Document, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };

    /// <summary><c>GET /api/reference</c>: a human-readable reference (Scalar) of <c>/api/openapi.json</c>.</summary>
    [Function(nameof(GetApiReference))]
    public static IActionResult GetApiReference(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reference")] HttpRequest request) =>
        new ContentResult { Content = ReferencePage, ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK };
}
