namespace MeterToCash.Domain.Billing;

/// <summary>Why a bill is held instead of being rated or sent: one code per rule, the message gives the detail.</summary>
public enum HoldCode
{
    /// <summary>No meter of any service point is in service on any day of the period.</summary>
    NoMeterInService = 0,

    /// <summary>
    /// A meter's span cannot be measured: a boundary register read is missing (or unusable) and the stored curves of the
    /// span lack a day or leave slots empty (a gap the estimators could not fill).
    /// </summary>
    MissingBoundaryReadsAndIncompleteCurves = 1,

    /// <summary>The band registers of a meter do not add up to its total register within the tolerance.</summary>
    BandSumMismatch = 2,

    /// <summary>A register went backwards between the boundary reads without a plausible rollover (exchange, tamper, misread).</summary>
    RegisterRollback = 3,

    /// <summary>Energy per band is needed from curves but no day classifier was given.</summary>
    NoDayClassifier = 4,

    /// <summary>Two meters of one service point are in service on the same day.</summary>
    OverlappingMeters = 5,

    /// <summary>Reactive energy of a meter that records it can be taken neither from registers nor from complete curves.</summary>
    MissingReactiveData = 6,

    /// <summary>Usage is above the high factor times the account's mean monthly usage.</summary>
    UsageTooHigh = 20,

    /// <summary>Usage is below the low factor times the account's mean monthly usage.</summary>
    UsageTooLow = 21,

    /// <summary>No energy was used although the premises are occupied.</summary>
    ZeroUsageOnOccupiedAccount = 22,

    /// <summary>The bill amount is negative.</summary>
    NegativeAmount = 23,

    /// <summary>The estimated share of the energy is above the limit.</summary>
    EstimatedShareTooHigh = 24,

    /// <summary>No tariff is assigned for the period.</summary>
    MissingTariff = 25,

    /// <summary>The usage is above what any customer of the class plausibly uses in the period (<see cref="ClassUsage"/>).</summary>
    UsageTooHighForClass = 26,
}
