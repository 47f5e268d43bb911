using System.Globalization;
using Azure;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Tariffs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Archive;

/// <summary>Back-office customer archive API: create, read, update (optimistic concurrency) and list.</summary>
public sealed class CustomerFunctions(ArchiveStore store, TariffCatalog tariffs, ILogger<CustomerFunctions> logger)
{
    [Function(nameof(CreateCustomer))]
    public async Task<IActionResult> CreateCustomer(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "customers")] HttpRequest request)
    {
        (Customer? customer, ObjectResult? problem) = await ReadCustomerAsync(request);
        if (customer is null)
        {
            return problem!;
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await CheckReferencesAsync(customer, ct) is { } unprocessable)
        {
            return unprocessable;
        }

        (WriteOutcome outcome, StoredCustomer? stored) = await store.CreateAsync(customer, ct);
        switch (outcome)
        {
            case WriteOutcome.AlreadyExists:
                return Problems.Conflict($"Account '{customer.AccountNo}' already exists with different data; update it with PUT and its ETag.");
            case WriteOutcome.Created:
                logger.CustomerCreated(customer.AccountNo, customer.AreaCode);
                request.HttpContext.Response.Headers.Location = $"/api/customers/{customer.AccountNo}";
                return WithETag(request, stored!, StatusCodes.Status201Created);
            default:
                // A retried create of the very same customer: answer as the first time did, but 200.
                return WithETag(request, stored!, StatusCodes.Status200OK);
        }
    }

    [Function(nameof(GetCustomer))]
    public async Task<IActionResult> GetCustomer(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers/{accountNo}")] HttpRequest request,
        string accountNo)
    {
        if (!ArchiveValidator.IsKey(accountNo, ArchiveValidator.MaxAccountNoLength))
        {
            return Problems.Validation("accountNo", "code-format", "Account numbers are 1–20 letters, digits, '-' or '_'.");
        }

        StoredCustomer? stored = await store.FindAsync(accountNo, request.HttpContext.RequestAborted);
        return stored is null ? Problems.NotFound($"No account '{accountNo}'.") : WithETag(request, stored, StatusCodes.Status200OK);
    }

    [Function(nameof(UpdateCustomer))]
    public async Task<IActionResult> UpdateCustomer(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "customers/{accountNo}")] HttpRequest request,
        string accountNo)
    {
        string? ifMatch = request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrEmpty(ifMatch))
        {
            return Problems.PreconditionRequired("Send the ETag from GET /api/customers/{accountNo} in If-Match, so a concurrent change is not overwritten.");
        }

        (Customer? customer, ObjectResult? problem) = await ReadCustomerAsync(request);
        if (customer is null)
        {
            return problem!;
        }

        if (customer.AccountNo != accountNo)
        {
            return Problems.Validation("accountNo", "matches-route", $"The body's account number '{customer.AccountNo}' differs from the route's '{accountNo}'.");
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        StoredCustomer? current = await store.FindAsync(accountNo, ct);
        if (current is null)
        {
            return Problems.NotFound($"No account '{accountNo}'.");
        }

        if (current.Customer.AreaCode != customer.AreaCode)
        {
            return Problems.Validation("areaCode", "area-transfer-not-supported",
                $"Moving an account between transformer areas ({current.Customer.AreaCode} → {customer.AreaCode}) is a transfer, not an edit; it is not offered yet.",
                StatusCodes.Status422UnprocessableEntity);
        }

        if (await CheckReferencesAsync(customer, ct) is { } unprocessable)
        {
            return unprocessable;
        }

        (WriteOutcome outcome, StoredCustomer? stored) = await store.UpdateAsync(customer, new ETag(ifMatch), ct);
        return outcome switch
        {
            WriteOutcome.NotFound => Problems.NotFound($"No account '{accountNo}'."),
            WriteOutcome.StaleETag => Problems.PreconditionFailed($"Account '{accountNo}' was changed by someone else since you read it (its ETag is now {stored?.ETag}). Read it again and reapply your change."),
            _ => WithETag(request, stored!, StatusCodes.Status200OK),
        };
    }

    [Function(nameof(ListCustomers))]
    public async Task<IActionResult> ListCustomers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers")] HttpRequest request)
    {
        List<ValidationError> errors = [];
        string? area = QueryRules.Area(request, errors);
        CustomerClass? cls = QueryRules.Enum<CustomerClass>(request, "class", errors);
        PaymentMode? mode = QueryRules.Enum<PaymentMode>(request, "paymentMode", errors);
        int pageSize = QueryRules.PageSize(request, errors);
        string? token = QueryRules.ContinuationToken(request, PageName, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        (IReadOnlyList<Customer> items, string? next) = await store.ListAsync(area, cls, mode, pageSize, token, request.HttpContext.RequestAborted);
        return new OkObjectResult(new CustomerPageDto(items.Select(CustomerDto.FromDomain).ToList(), next is null ? null : PagingToken.Wrap(PageName, next)));
    }

    const string PageName = "customers";

    /// <summary>
    /// Rules that need storage: areas and tariff codes exist, meters are not someone else's. 422, since the JSON itself
    /// is fine; 409 when the only problem is a meter another account holds.
    /// </summary>
    async Task<ObjectResult?> CheckReferencesAsync(Customer customer, CancellationToken ct)
    {
        List<ValidationError> errors = [];
        if (await store.FindNodeAsync(NetworkLevel.TransformerArea, customer.AreaCode, ct) is null)
        {
            errors.Add(new("areaCode", "unknown-area", $"Transformer area '{customer.AreaCode}' is not in the network archive."));
        }

        for (int i = 0; i < customer.ServicePoints.Count; i++)
        {
            string area = customer.ServicePoints[i].AreaCode;
            if (area != customer.AreaCode && await store.FindNodeAsync(NetworkLevel.TransformerArea, area, ct) is null)
            {
                errors.Add(new($"servicePoints[{i}].areaCode", "unknown-area", $"Transformer area '{area}' is not in the network archive."));
            }
        }

        IReadOnlySet<string> unknownTariffs = await tariffs.UnknownCodesAsync(customer.ServicePoints.SelectMany(p => p.Tariffs).Select(t => t.TariffCode), ct);
        for (int i = 0; i < customer.ServicePoints.Count && unknownTariffs.Count > 0; i++)
        {
            IReadOnlyList<TariffAssignment> assigned = customer.ServicePoints[i].Tariffs;
            for (int t = 0; t < assigned.Count; t++)
            {
                if (unknownTariffs.Contains(assigned[t].TariffCode))
                {
                    errors.Add(new($"servicePoints[{i}].tariffs[{t}].tariffCode", "unknown-tariff-code", $"Tariff '{assigned[t].TariffCode}' is not in the tariff catalogue."));
                }
            }
        }

        foreach ((string meterNo, string owner) in await store.MetersHeldElsewhereAsync(customer, ct))
        {
            errors.Add(new("meterNo", "meter-belongs-to-other-account", $"Meter '{meterNo}' is installed for account '{owner}'; remove it there first."));
        }

        if (errors.Count == 0)
        {
            return null;
        }

        return errors.All(e => e.Rule == "meter-belongs-to-other-account")
            ? Problems.Create(StatusCodes.Status409Conflict, "Conflict", string.Join(" ", errors.Select(e => e.Message)), "conflict", new Dictionary<string, object?> { ["errors"] = errors.Select(e => new ValidationError(e.Field, e.Rule, e.Message)).ToList() })
            : RequestJson.Invalid(errors, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The body as a valid customer, or the problem response that says why it is not one.</summary>
    static async Task<(Customer? Customer, ObjectResult? Problem)> ReadCustomerAsync(HttpRequest request)
    {
        (CustomerDto? dto, ObjectResult? problem) = await RequestJson.ReadAsync<CustomerDto>(request, ArchiveJson.Options);
        if (problem is not null)
        {
            return (null, problem);
        }

        List<ValidationError> errors = [];
        Customer? customer = dto!.ToDomain(errors);
        return customer is null ? (null, RequestJson.Invalid(errors)) : (customer, null);
    }

    static OkObjectResult WithETag(HttpRequest request, StoredCustomer stored, int status)
    {
        request.HttpContext.Response.Headers.ETag = stored.ETag.ToString("H");
        return new OkObjectResult(CustomerDto.FromDomain(stored.Customer)) { StatusCode = status };
    }
}
