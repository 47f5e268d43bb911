using MeterToCash.Domain.Segments;

namespace MeterToCash.Functions.Segments;

/// <summary>Input of a classification run: the China-local day it is as of (data through the day before), and the areas (null = all).</summary>
public sealed record SegmentRunInput(DateOnly AsOf, IReadOnlyList<string>? Areas);

/// <summary>One activity's share: one area of a run.</summary>
public sealed record SegmentAreaWork(string RunId, DateOnly AsOf, string Area);

/// <summary>A load-shape cluster: its name, centroid (24 hourly shares) and description.</summary>
public sealed record ShapeCluster(string Name, double[] Centroid, string Description);

/// <summary>What a run did.</summary>
/// <param name="Areas">Areas processed.</param>
/// <param name="Accounts">Accounts classified.</param>
/// <param name="WithProfile">Accounts with a load profile (the rest are <c>shape-unknown</c>).</param>
/// <param name="Clusters">Cluster names, in centroid order.</param>
public sealed record SegmentRunSummary(int Areas, int Accounts, int WithProfile, IReadOnlyList<string> Clusters)
{
    public static readonly SegmentRunSummary Zero = new(0, 0, 0, []);

    public static SegmentRunSummary operator +(SegmentRunSummary a, SegmentRunSummary b) =>
        new(a.Areas + b.Areas, a.Accounts + b.Accounts, a.WithProfile + b.WithProfile, a.Clusters.Count > 0 ? a.Clusters : b.Clusters);
}

/// <summary>Request body of <c>POST /api/segments/runs</c>.</summary>
public sealed record SegmentRunRequest(string? AsOf, IReadOnlyList<string>? Areas);

/// <summary>A run as the API reports it.</summary>
public sealed record SegmentRunStatusDto(string Id, string Status, string AsOf, SegmentRunSummary? Summary, string? Failure);

/// <summary>An account's classification as stored and answered by <c>GET /api/customers/{accountNo}/segments</c>.</summary>
public sealed record AccountSegmentsDto(string AccountNo, string Area, string ClassifiedOn, IReadOnlyList<CustomerSegment> Segments, IReadOnlyList<RecommendedAction> Actions, AccountFacts Facts);

/// <summary>One account of a segment list.</summary>
public sealed record SegmentMemberDto(string AccountNo, string Area, string ClassifiedOn);

/// <summary>A page of <c>GET /api/segments/{segment}/customers</c>.</summary>
public sealed record SegmentMembersDto(string Segment, IReadOnlyList<SegmentMemberDto> Items, string? ContinuationToken);

/// <summary>How many accounts are in a segment.</summary>
public sealed record SegmentCount(SegmentDimension Dimension, string Code, int Accounts);

/// <summary>How many accounts have a service action.</summary>
public sealed record ServiceActionCount(ServiceAction Action, int Accounts);

/// <summary>An area's accounts per segment and per service action as its last classification left them (stored per area, replaced by each run over the area).</summary>
/// <param name="RunId">The run that classified the area (its as-of day, <c>yyyyMMdd</c>).</param>
/// <param name="ClassifiedOn">That run's as-of day, <c>yyyy-MM-dd</c>.</param>
public sealed record SegmentAreaCounts(string Area, string RunId, string ClassifiedOn, int Accounts, IReadOnlyList<SegmentCount> Segments, IReadOnlyList<ServiceActionCount> Actions)
{
    /// <summary>Counts the classifications of one area's accounts.</summary>
    public static SegmentAreaCounts Of(string area, string runId, string classifiedOn, IReadOnlyList<AccountSegmentsDto> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return new(area, runId, classifiedOn, accounts.Count,
            [.. accounts.SelectMany(a => a.Segments).GroupBy(s => (s.Dimension, s.Code)).Select(g => new SegmentCount(g.Key.Dimension, g.Key.Code, g.Count()))],
            [.. accounts.SelectMany(a => a.Actions.Select(x => x.Action).Distinct()).GroupBy(x => x).Select(g => new ServiceActionCount(g.Key, g.Count()))]);
    }
}

/// <summary>
/// <c>GET /api/segments</c>: every segment and service action with its number of accounts, summed over the areas as
/// their last classification left them, and the load-shape clusters (24 hourly shares each) of the newest run.
/// </summary>
/// <param name="Areas">Areas classified at least once.</param>
/// <param name="OldestClassifiedOn">The as-of day of the area classified longest ago (null before any run).</param>
/// <param name="NewestClassifiedOn">The as-of day of the newest run over any area.</param>
/// <param name="Segments">By dimension (load shape, value, payment), then by code.</param>
/// <param name="ClustersRun">The run whose clusters are listed (<c>yyyyMMdd</c>).</param>
public sealed record SegmentOverviewDto(int Areas, int Accounts, string? OldestClassifiedOn, string? NewestClassifiedOn, IReadOnlyList<SegmentCount> Segments, IReadOnlyList<ServiceActionCount> Actions, string? ClustersRun, IReadOnlyList<ShapeCluster> Clusters)
{
    /// <summary>Sums the areas' counts; <paramref name="clusters"/> are those of <paramref name="clustersRun"/>.</summary>
    public static SegmentOverviewDto Of(IReadOnlyList<SegmentAreaCounts> areas, string? clustersRun, IReadOnlyList<ShapeCluster> clusters)
    {
        ArgumentNullException.ThrowIfNull(areas);
        return new(areas.Count, areas.Sum(a => a.Accounts),
            areas.Select(a => a.ClassifiedOn).Order(StringComparer.Ordinal).FirstOrDefault(),
            areas.Select(a => a.ClassifiedOn).Order(StringComparer.Ordinal).LastOrDefault(),
            [.. areas.SelectMany(a => a.Segments).GroupBy(s => (s.Dimension, s.Code)).Select(g => new SegmentCount(g.Key.Dimension, g.Key.Code, g.Sum(s => s.Accounts)))
                .OrderBy(s => s.Dimension).ThenBy(s => s.Code, StringComparer.Ordinal)],
            [.. areas.SelectMany(a => a.Actions).GroupBy(x => x.Action).Select(g => new ServiceActionCount(g.Key, g.Sum(x => x.Accounts))).OrderBy(x => x.Action)],
            clustersRun,
            clusters);
    }
}
