namespace MeterToCash.Domain.Segments;

/// <summary>The three ways an account is classified (客户细分).</summary>
public enum SegmentDimension
{
    /// <summary>By the shape of its normalised average daily load profile (k-means cluster).</summary>
    LoadShape,

    /// <summary>By annual energy and revenue.</summary>
    Value,

    /// <summary>By payment behaviour: arrears and late fees, or the credit grade before there is history.</summary>
    Payment,
}
