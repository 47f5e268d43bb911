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
public sealed record SegmentRunRequest(IReadOnlyList<string>? Areas);

/// <summary>A run as the API reports it.</summary>
public sealed record SegmentRunStatusDto(string Id, string Status, string AsOf, SegmentRunSummary? Summary, string? Failure);

/// <summary>An account's classification as stored and answered by <c>GET /api/customers/{accountNo}/segments</c>.</summary>
public sealed record AccountSegmentsDto(string AccountNo, string Area, string ClassifiedOn, IReadOnlyList<CustomerSegment> Segments, IReadOnlyList<RecommendedAction> Actions, AccountFacts Facts);

/// <summary>One account of a segment list.</summary>
public sealed record SegmentMemberDto(string AccountNo, string Area, string ClassifiedOn);

/// <summary>A page of <c>GET /api/segments/{segment}/customers</c>.</summary>
public sealed record SegmentMembersDto(string Segment, IReadOnlyList<SegmentMemberDto> Items, string? ContinuationToken);
