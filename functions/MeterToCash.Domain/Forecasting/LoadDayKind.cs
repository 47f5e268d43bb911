namespace MeterToCash.Domain.Forecasting;

/// <summary>
/// The kind of a China-local day as the load forecast sees it: the holiday calendar's day type, with the make-up
/// working days (调休上班日) told apart from ordinary workdays because their load is a workday's on a weekend date.
/// </summary>
public enum LoadDayKind
{
    /// <summary>Monday to Friday that is not a holiday.</summary>
    Workday = 0,

    /// <summary>Saturday or Sunday that is not a make-up working day.</summary>
    Weekend = 1,

    /// <summary>A statutory public holiday (weekend days inside a holiday period included).</summary>
    Holiday = 2,

    /// <summary>A Saturday or Sunday worked in exchange for holiday days.</summary>
    MakeUpWorkday = 3,
}
