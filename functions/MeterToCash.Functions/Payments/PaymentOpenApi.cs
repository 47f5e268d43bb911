using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Microsoft.OpenApi;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The OpenAPI 3.1 document of the payment-channel contract, built with Microsoft.OpenApi: every channel endpoint with
/// request and response examples, the error codes, and the signing scheme as a security scheme. Answer schemas are
/// exported from the answer records themselves (<see cref="JsonSchemaExporter"/> with the answer dialect), so they are
/// what the code writes; request schemas state the rules the endpoints check.
/// </summary>
public static class PaymentOpenApi
{
    /// <summary>The examples' fixed values: the demo bank's first account and one channel date.</summary>
    public const string ExampleAccount = "3100000000", ExampleDate = "2026-12-04", ExampleTxn = "ICBC20261204000001", ExampleCounterTxn = "HQ20261204000001", ExampleCashier = "C0001", ExampleKiosk = "KIOSK-0001";

    static readonly Lazy<string> Json = new(() => Build().SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1).GetAwaiter().GetResult());

    /// <summary>The document as JSON (built once).</summary>
    public static string Document => Json.Value;

    const string SigningDescription = """
        Every channel request is signed; the Functions key is not used. Headers: `X-MTC-Channel` (channel id),
        `X-MTC-Timestamp` (Unix seconds, within ±300 s of the server's clock), `X-MTC-Nonce` (16–64 of `[A-Za-z0-9-]`,
        accepted once per channel within 15 minutes) and `X-MTC-Signature` = `v1=` + base64(HMAC-SHA256(secret bytes,
        string-to-sign)), the secret being the channel's base64 secret decoded. String to sign: these seven parts joined
        by LF, UTF-8: `v1`, channel id, timestamp, nonce, HTTP method in upper case, path and query exactly as sent
        (e.g. `/api/channels/bank/payments`), lower-case hex SHA-256 of the raw body bytes (of the empty string without a
        body). Refusals: 401 `signature-missing`, `signature-invalid`, `timestamp-out-of-window`, `nonce-replayed`,
        `channel-unknown`; 403 `channel-disabled`, `channel-not-permitted`. A C# signer is
        `MeterToCash.Domain.Payments.ChannelRequestSigner`; `dotnet run --project tests/MeterToCash.Tools -- sign ...`
        prints the headers for curl.
        """;

    /// <summary>One documented operation, for the example replay: which channel kind calls it, its path with example values, the example body.</summary>
    public sealed record Example(string Method, string Path, string? Channel, string? Body, string OperationId);

    /// <summary>Every operation's example request, in an order that replays: queries, payments, reversals, closes.</summary>
    public static IReadOnlyList<Example> Examples { get; } =
    [
        new("GET", $"/api/channels/bank/accounts/{ExampleAccount}", "Bank", null, "BankQueryAccount"),
        new("POST", "/api/channels/bank/payments", "Bank", Body(new { channelTxnId = ExampleTxn, accountNo = ExampleAccount, amountFen = 15_410, paidAt = "2026-12-04T10:15:00+08:00", channelDate = ExampleDate }), "BankPay"),
        new("POST", $"/api/channels/bank/payments/{ExampleTxn}/reversal", "Bank", Body(new { reason = "customer cancelled at the teller" }), "BankReverse"),
        new("POST", $"/api/channels/bank/days/{ExampleDate}/close", "Bank", null, "BankCloseDay"),
        new("GET", $"/api/channels/kiosk/accounts/{ExampleAccount}", "Kiosk", null, "KioskQueryAccount"),
        new("GET", "/api/channels/kiosk/accounts?meterNo=MTR000000000", "Kiosk", null, "KioskQueryByMeter"),
        new("POST", "/api/channels/kiosk/top-ups", "Kiosk", Body(new { deviceSeq = 1, accountNo = ExampleAccount, amountFen = 5_000, tender = "Cash", takenAt = "2026-12-04T09:30:00+08:00" }), "KioskTopUp"),
        new("POST", "/api/channels/kiosk/sync", "Kiosk", Body(new { transactions = new object[] { new { deviceSeq = 2, accountNo = ExampleAccount, amountFen = 2_000, tender = "QrCode", takenAt = "2026-12-04T09:40:00+08:00" }, new { deviceSeq = 4, accountNo = ExampleAccount, amountFen = 1_000, tender = "Cash", takenAt = "2026-12-04T09:50:00+08:00" } } }), "KioskSync"),
        new("GET", $"/api/channels/kiosk/receipts/{ExampleKiosk}-000000000001", "Kiosk", null, "KioskReceipt"),
        new("POST", "/api/channels/counter/payments", "Counter", Body(new { channelTxnId = ExampleCounterTxn, accountNo = ExampleAccount, amountFen = 10_000, paidAt = "2026-12-04T11:00:00+08:00", channelDate = ExampleDate, cashierId = ExampleCashier, tender = "Cash" }), "CounterPay"),
        new("POST", $"/api/channels/counter/payments/{ExampleCounterTxn}/reversal", "Counter", Body(new { reason = "wrong account" }), "CounterReverse"),
        new("POST", "/api/channels/counter/close-outs", "Counter", Body(new { cashierId = ExampleCashier, channelDate = ExampleDate }), "CounterCloseOut"),
        new("GET", $"/api/channels/BANK-ICBC/journal/{ExampleDate}", null, null, "GetChannelJournal"),
        new("PUT", $"/api/kiosks/{ExampleKiosk}", null, Body(new { location = "城东营业厅一楼", @operator = "国网城东供电所", enabled = true }), "PutKiosk"),
        new("POST", $"/api/kiosks/{ExampleKiosk}/secret", null, null, "RotateKioskSecret"),
    ];

    static string Body(object value) => JsonSerializer.Serialize(value, PaymentPoster.AnswerJson);

    static OpenApiDocument Build()
    {
        OpenApiDocument document = new()
        {
            Info = new OpenApiInfo
            {
                Title = "MeterToCash payment channels",
                Version = "1.0",
                Description = "Banks (代收), self-service kiosks (自助缴费终端) and service counters (营业厅) query accounts and post payments. Money is integer fen everywhere (12345 = 123.45 yuan); times are ISO 8601 with an offset; channelDate is the channel's accounting day (yyyy-MM-dd, China time). Every error is application/problem+json with a stable `code`.",
            },
            Servers = [new OpenApiServer { Url = "/" }],
            Paths = [],
            Components = new OpenApiComponents { Schemas = new Dictionary<string, IOpenApiSchema>(), SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>() },
        };
        document.Components.SecuritySchemes["channelSignature"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-MTC-Signature", Description = SigningDescription };
        document.Components.SecuritySchemes["functionKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-functions-key", Description = "The Functions key (operators' endpoints)." };
        document.Components.SecuritySchemes["masterKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-functions-key", Description = "The Functions master key (the kiosk registry)." };

        foreach ((string name, Type type) in new[]
        {
            ("PaymentAnswer", typeof(PaymentAnswer)), ("ReversalAnswer", typeof(ReversalAnswer)), ("AccountAnswer", typeof(AccountAnswer)),
            ("KioskSyncAnswer", typeof(KioskSyncAnswer)), ("DayCloseAnswer", typeof(DayCloseAnswer)), ("CloseOutAnswer", typeof(CloseOutAnswer)),
            ("JournalAnswer", typeof(JournalAnswer)), ("KioskAnswer", typeof(KioskAnswer)), ("KioskSecretAnswer", typeof(KioskSecretAnswer)),
        })
        {
            document.Components.Schemas[name] = Convert(PaymentPoster.AnswerJson.GetJsonSchemaAsNode(type));
        }

        document.Components.Schemas["Problem"] = Object(
            ["type", "title", "status", "detail", "code"],
            ("type", Str("A URI naming the problem type.")), ("title", Str(null)), ("status", Int("HTTP status.")), ("detail", Str(null)),
            ("code", Str("Stable code: " + string.Join(", ", PaymentProblems.All.Select(c => $"{c.Status} {c.Code}")))),
            ("errors", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Object(["field", "rule", "message"], ("field", Str(null)), ("rule", Str(null)), ("message", Str(null))) }));
        OpenApiSchema amount = new() { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "1000000000", Description = "Integer fen, 1–1,000,000,000 (10,000,000.00 yuan); otherwise 422 amount-invalid." };
        OpenApiSchema txn = new() { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_-]{1,64}$", Description = "The channel's transaction id: unique per channel, the idempotency key." };
        OpenApiSchema account = new() { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_-]{1,20}$" };
        OpenApiSchema instant = new() { Type = JsonSchemaType.String, Format = "date-time", Description = "ISO 8601 with an offset." };
        OpenApiSchema day = new() { Type = JsonSchemaType.String, Format = "date", Description = "yyyy-MM-dd, China time." };
        document.Components.Schemas["BankPaymentRequest"] = Object(["channelTxnId", "accountNo", "amountFen", "paidAt", "channelDate"], ("channelTxnId", txn), ("accountNo", account), ("amountFen", amount), ("paidAt", instant), ("channelDate", day));
        document.Components.Schemas["CounterPaymentRequest"] = Object(["channelTxnId", "accountNo", "amountFen", "paidAt", "channelDate", "cashierId", "tender"], ("channelTxnId", txn), ("accountNo", account), ("amountFen", amount), ("paidAt", instant), ("channelDate", day), ("cashierId", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_-]{1,32}$" }), ("tender", Enum("Cash", "BankCard", "QrCode", "Cheque")));
        OpenApiSchema topUp = Object(["deviceSeq", "accountNo", "amountFen", "tender", "takenAt"], ("deviceSeq", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "999999999999", Description = "The kiosk's sequence number: with the device id, the idempotency key." }), ("accountNo", account), ("amountFen", amount), ("tender", Enum("Cash", "BankCard", "QrCode")), ("takenAt", instant));
        document.Components.Schemas["KioskTopUpRequest"] = topUp;
        document.Components.Schemas["KioskSyncRequest"] = Object(["transactions"], ("transactions", new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, MaxItems = PaymentRequests.MaxSyncItems, Items = new OpenApiSchemaReference("KioskTopUpRequest", document) }));
        document.Components.Schemas["ReversalRequest"] = Object(["reason"], ("reason", new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = PaymentRequests.MaxReasonLength }));
        document.Components.Schemas["CloseOutRequest"] = Object(["cashierId", "channelDate"], ("cashierId", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_-]{1,32}$" }), ("channelDate", day));
        document.Components.Schemas["KioskRegistrationRequest"] = Object(["location", "operator", "enabled"], ("location", Str(null)), ("operator", Str(null)), ("enabled", new OpenApiSchema { Type = JsonSchemaType.Boolean }));

        Add(document, "BankQueryAccount", HttpMethod.Get, "/api/channels/bank/accounts/{accountNo}", "Bank: an account's arrears (oldest first), balance and what clears it; the name masked.", null, "AccountAnswer", [Path("accountNo", ExampleAccount)], [404]);
        Add(document, "BankPay", HttpMethod.Post, "/api/channels/bank/payments", "Bank: post a payment. Allocation: the oldest bill first, each bill's late fee before its principal; what is left is credit (postpaid) or balance (prepaid). The same channelTxnId and payload answers the original answer (header Idempotent-Replayed: true); a different payload is 409 duplicate-transaction-differs.", "BankPaymentRequest", "PaymentAnswer", [], [404, 409, 413, 415, 422]);
        Add(document, "BankReverse", HttpMethod.Post, "/api/channels/bank/payments/{channelTxnId}/reversal", "Bank: reverse (冲正) a payment; repeating answers the same; 404 unknown; 409 reversal-window-closed once the payment's channelDate is closed.", "ReversalRequest", "ReversalAnswer", [Path("channelTxnId", ExampleTxn)], [404, 409, 415, 422]);
        Add(document, "BankCloseDay", HttpMethod.Post, "/api/channels/bank/days/{channelDate}/close", "Bank: close a channel date: its payments and reversals counted; payments for it are 409 day-closed from then on. Closing twice answers the same.", null, "DayCloseAnswer", [Path("channelDate", ExampleDate)], []);
        Add(document, "KioskQueryAccount", HttpMethod.Get, "/api/channels/kiosk/accounts/{accountNo}", "Kiosk: as the bank's query, plus the last 6 bills.", null, "AccountAnswer", [Path("accountNo", ExampleAccount)], [404]);
        Add(document, "KioskQueryByMeter", HttpMethod.Get, "/api/channels/kiosk/accounts", "Kiosk: the account holding a meter.", null, "AccountAnswer", [new OpenApiParameter { Name = "meterNo", In = ParameterLocation.Query, Required = true, Schema = Str(null), Example = JsonValue.Create("MTR000000000") }], [404]);
        Add(document, "KioskTopUp", HttpMethod.Post, "/api/channels/kiosk/top-ups", "Kiosk: a top-up or payment; (deviceId, deviceSeq) is the idempotency key; a prepaid account's balance rises.", "KioskTopUpRequest", "PaymentAnswer", [], [404, 409, 413, 415, 422]);
        Add(document, "KioskSync", HttpMethod.Post, "/api/channels/kiosk/sync", "Kiosk: an offline batch (≤ 500, the kiosk's order, original takenAt kept): per item Posted, Duplicate or Rejected with its code; gaps are device sequence numbers never received.", "KioskSyncRequest", "KioskSyncAnswer", [], [413, 415]);
        Add(document, "KioskReceipt", HttpMethod.Get, "/api/channels/kiosk/receipts/{receiptNo}", "Kiosk: a receipt again (re-print), only the device's own; any other is 404 receipt-not-found.", null, "PaymentAnswer", [Path("receiptNo", $"{ExampleKiosk}-000000000001")], [404]);
        Add(document, "CounterPay", HttpMethod.Post, "/api/channels/counter/payments", "Counter: a payment with cashier and tender; as the bank's; 409 day-closed after the cashier's close-out.", "CounterPaymentRequest", "PaymentAnswer", [], [404, 409, 413, 415, 422]);
        Add(document, "CounterReverse", HttpMethod.Post, "/api/channels/counter/payments/{channelTxnId}/reversal", "Counter: reverse a payment; refused (409 reversal-window-closed) once the cashier's day is closed out.", "ReversalRequest", "ReversalAnswer", [Path("channelTxnId", ExampleCounterTxn)], [404, 409, 415, 422]);
        Add(document, "CounterCloseOut", HttpMethod.Post, "/api/channels/counter/close-outs", "Counter: a cashier's close-out of a channel date: totals by tender (payments not reversed) and the transactions; closing twice answers the same.", "CloseOutRequest", "CloseOutAnswer", [], [415]);
        Add(document, "GetChannelJournal", HttpMethod.Get, "/api/channels/{channelId}/journal/{channelDate}", "Operators (function key): a channel's daily journal, every payment and reversal of the channel date.", null, "JournalAnswer", [Path("channelId", "BANK-ICBC"), Path("channelDate", ExampleDate)], [], "functionKey");
        Add(document, "PutKiosk", HttpMethod.Put, "/api/kiosks/{deviceId}", "Admin (master key): register a kiosk (201, its secret answered this once) or update it (200, no secret).", "KioskRegistrationRequest", "KioskAnswer", [Path("deviceId", ExampleKiosk)], [409, 413, 415], "masterKey");
        Add(document, "RotateKioskSecret", HttpMethod.Post, "/api/kiosks/{deviceId}/secret", "Admin (master key): give a kiosk a new secret, answered this once; the old one stops working at once.", null, "KioskSecretAnswer", [Path("deviceId", ExampleKiosk)], [404], "masterKey");
        return document;
    }

    static void Add(OpenApiDocument document, string id, HttpMethod method, string path, string summary, string? request, string answer, List<IOpenApiParameter> parameters, int[] errors, string security = "channelSignature")
    {
        Example? example = Examples.FirstOrDefault(e => e.OperationId == id);
        OpenApiOperation operation = new()
        {
            OperationId = id,
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new(path.Contains("/kiosk", StringComparison.Ordinal) ? "Kiosk" : path.Contains("/counter", StringComparison.Ordinal) ? "Counter" : path.Contains("/bank", StringComparison.Ordinal) ? "Bank" : "Operations", document) },
            Parameters = parameters,
            Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(security, document)] = [] }],
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "The answer.", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(answer, document) } } },
            },
        };
        if (request is not null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(request, document), Example = example?.Body is { } body ? JsonNode.Parse(body) : null } },
            };
        }

        if (id == "PutKiosk")
        {
            operation.Responses["201"] = new OpenApiResponse { Description = "Registered: the answer carries the device secret, this once.", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(answer, document) } } };
        }

        if (id is "BankPay" or "CounterPay" or "KioskTopUp" or "BankReverse" or "CounterReverse")
        {
            ((OpenApiResponse)operation.Responses["200"]).Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Idempotent-Replayed"] = new OpenApiHeader { Description = "`true` when this is the stored answer to a repeat of the same transaction (same payload); absent on the first answer.", Schema = Enum("true") },
            };
        }

        // Every signed endpoint reads (at most 64 KiB of) the body before it verifies anything, so each may answer 413.
        int[] statuses = security == "channelSignature" ? [400, 401, 403, 413, .. errors] : [400, 401, .. errors];
        foreach (int status in statuses.Distinct().Order())
        {
            string codes = string.Join(", ", PaymentProblems.All.Where(c => c.Status == status && (status is 400 or 401 or 403 || Relevant(id, c.Code))).Select(c => $"`{c.Code}` ({c.Meaning})"));
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = codes.Length > 0 ? codes : "Refused.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("Problem", document) } },
            };
        }

        document.Paths[path] = document.Paths.TryGetValue(path, out IOpenApiPathItem? item) ? item : new OpenApiPathItem();
        ((OpenApiPathItem)document.Paths[path]).AddOperation(method, operation);
    }

    static bool Relevant(string operationId, string code) => code switch
    {
        PaymentProblems.ReversalWindowClosed or PaymentProblems.TransactionNotFound => operationId.Contains("Reverse", StringComparison.Ordinal),
        PaymentProblems.DayClosed or PaymentProblems.DuplicateDiffers or PaymentProblems.AmountInvalid or PaymentProblems.Contended or PaymentProblems.AccountClosed or PaymentProblems.NotPosted => operationId.Contains("Pay", StringComparison.Ordinal) || operationId == "KioskTopUp",
        PaymentProblems.ReceiptNotFound => operationId == "KioskReceipt",
        PaymentProblems.KioskNotFound => operationId == "RotateKioskSecret",
        PaymentProblems.ChannelIdTaken => operationId == "PutKiosk",
        PaymentProblems.AccountNotFound => operationId.Contains("Query", StringComparison.Ordinal) || operationId.Contains("Pay", StringComparison.Ordinal) || operationId == "KioskTopUp",
        _ => true,
    };

    static OpenApiParameter Path(string name, string example) => new() { Name = name, In = ParameterLocation.Path, Required = true, Schema = Str(null), Example = JsonValue.Create(example) };

    static OpenApiSchema Str(string? description) => new() { Type = JsonSchemaType.String, Description = description };

    static OpenApiSchema Int(string? description) => new() { Type = JsonSchemaType.Integer, Description = description };

    static OpenApiSchema Enum(params string[] values) => new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };

    static OpenApiSchema Object(string[] required, params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(required),
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
    };

    /// <summary>An exported JSON schema (System.Text.Json's dialect) as an OpenAPI 3.1 schema; a property that is never null is required.</summary>
    static OpenApiSchema Convert(JsonNode node)
    {
        OpenApiSchema schema = new();
        if (node is not JsonObject o)
        {
            return schema;
        }

        JsonSchemaType? type = null;
        if (o["type"] is JsonValue single)
        {
            type = OpenApiTypeMapper.ToJsonSchemaType(single.GetValue<string>());
        }
        else if (o["type"] is JsonArray many)
        {
            type = OpenApiTypeMapper.ToJsonSchemaType([.. many.Select(t => t!.GetValue<string>())]);
        }

        schema.Type = type;
        if (o["format"] is JsonValue format)
        {
            schema.Format = format.GetValue<string>();
        }

        if (o["enum"] is JsonArray values)
        {
            schema.Enum = [.. values.Select(v => v?.DeepClone()!).Where(v => v is not null)];
        }

        if (o["items"] is JsonNode items)
        {
            schema.Items = Convert(items);
        }

        if (o["properties"] is JsonObject properties)
        {
            schema.Properties = properties.ToDictionary(p => p.Key, p => (IOpenApiSchema)Convert(p.Value!));
            schema.Required = new HashSet<string>(properties.Where(p => p.Value is JsonObject po && !Nullable(po)).Select(p => p.Key));
        }

        return schema;
    }

    static bool Nullable(JsonObject property) =>
        (property["type"] is JsonArray t && t.Any(x => x?.GetValue<string>() == "null")) || (property["type"] is JsonValue v && v.GetValue<string>() == "null");
}
