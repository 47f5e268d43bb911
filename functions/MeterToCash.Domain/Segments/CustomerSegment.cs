namespace MeterToCash.Domain.Segments;

/// <summary>One class of an account with the reasons it was given, in words an operator can check.</summary>
/// <param name="Dimension">Which classification.</param>
/// <param name="Code">The segment code, e.g. <c>evening-peak</c>, <c>high-value</c>, <c>payment-risk</c>: lower-case letters, digits and '-'.</param>
/// <param name="Reasons">Why, with the figures behind it.</param>
public sealed record CustomerSegment(SegmentDimension Dimension, string Code, IReadOnlyList<string> Reasons)
{
    /// <summary>The code.</summary>
    public string Code { get; } = IsCode(Code) ? Code : throw new ArgumentException("Segment codes are 1–40 lower-case letters, digits or '-'.", nameof(Code));

    /// <summary>True for a well-formed segment code.</summary>
    public static bool IsCode(string? code) =>
        code is { Length: > 0 and <= 40 } && code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
