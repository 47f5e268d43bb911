namespace MeterToCash.Domain.Load;

/// <summary>Classification of an area-day's line loss.</summary>
public enum LineLossClass
{
    /// <summary>0 ≤ loss rate ≤ the normal maximum.</summary>
    Normal = 0,

    /// <summary>Loss rate above the normal maximum: technical trouble or theft.</summary>
    High = 1,

    /// <summary>Customers metered more than the master meter: a meter or archive error (wrong CT ratio, customer filed under the wrong area).</summary>
    Negative = 2,

    /// <summary>No figure: see the reason.</summary>
    NotComputable = 3,
}
