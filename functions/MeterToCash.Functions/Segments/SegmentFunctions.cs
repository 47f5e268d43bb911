using System.Globalization;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Segments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Segments;

/// <summary>
/// The classification API: an account's segments with reasons and service actions, and a segment's members. The
/// segment filter lives here rather than on the archive's customer list so the archive does not depend on this feature.
/// </summary>
public sealed class SegmentFunctions(SegmentStore store)
{
    /// <summary>
    /// Every segment and service action with its number of accounts (each area as its last classification left it) and
    /// the newest run's load-shape clusters with their centroids (24 hourly shares, summing to 1).
    /// </summary>
    [Function(nameof(GetSegmentOverview))]
    public async Task<IActionResult> GetSegmentOverview(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "segments")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        IReadOnlyList<SegmentAreaCounts> areas = await store.AreaCountsAsync(ct);
        string? newestRun = areas.Select(a => a.RunId).Order(StringComparer.Ordinal).LastOrDefault();
        IReadOnlyList<ShapeCluster> clusters = newestRun is null ? [] : await store.ClustersAsync(newestRun, ct);
        return new OkObjectResult(SegmentOverviewDto.Of(areas, newestRun, clusters));
    }

    [Function(nameof(GetCustomerSegments))]
    public async Task<IActionResult> GetCustomerSegments(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers/{accountNo}/segments")] HttpRequest request,
        string accountNo)
    {
        List<ValidationError> errors = [];
        QueryRules.AccountNo(accountNo, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        return await store.FindAsync(accountNo, request.HttpContext.RequestAborted) is { } found
            ? new OkObjectResult(found)
            : Problems.NotFound($"Account '{accountNo}' has not been classified (yet): the classification runs nightly, or POST /api/segments/runs.");
    }

    /// <summary>The accounts in a segment, by account number: <c>?pageSize=</c> (1–1000, default 100) and <c>continuationToken</c>.</summary>
    [Function(nameof(GetSegmentMembers))]
    public async Task<IActionResult> GetSegmentMembers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "segments/{segment}/customers")] HttpRequest request,
        string segment)
    {
        List<ValidationError> errors = [];
        if (!CustomerSegment.IsCode(segment))
        {
            errors.Add(new("segment", "segment-code", "Segment codes are 1–40 lower-case letters, digits or '-', e.g. high-value, payment-risk, evening-peak."));
        }

        int pageSize = 100;
        if (request.Query["pageSize"].FirstOrDefault() is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            errors.Add(new("pageSize", "range", "'pageSize' is a whole number from 1 to 1000."));
        }

        string? token = request.Query["continuationToken"].FirstOrDefault();
        if (token is { Length: > 1024 })
        {
            errors.Add(new("continuationToken", "max-length", "'continuationToken' is at most 1,024 characters."));
        }

        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        try
        {
            (IReadOnlyList<SegmentMemberDto> items, string? next) = await store.MembersAsync(segment, pageSize, token, request.HttpContext.RequestAborted);
            return new OkObjectResult(new SegmentMembersDto(segment, items, next));
        }
        catch (Exception e) when (e is Azure.RequestFailedException or FormatException or ArgumentException)
        {
            // A continuation token not issued by this API.
            return Problems.Validation("continuationToken", "token", "'continuationToken' is not one this API issued.");
        }
    }
}
