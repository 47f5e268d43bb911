namespace MeterToCash.Domain.Billing;

/// <summary>The thresholds of <see cref="BillChecks"/>.</summary>
public sealed record BillCheckLimits
{
    /// <summary>The defaults: too high above 3× the mean, too low below 0.2× the mean, estimated share above 0.3.</summary>
    public static readonly BillCheckLimits Default = new(3m, 0.2m, 0.3m);

    /// <summary>Limits for the checks.</summary>
    /// <param name="highFactor">Usage above this times the mean monthly usage is too high; greater than <paramref name="lowFactor"/>.</param>
    /// <param name="lowFactor">Usage below this times the mean monthly usage is too low; not negative.</param>
    /// <param name="estimatedShareLimit">An estimated share of the kWh above this (0–1) holds the bill.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public BillCheckLimits(decimal highFactor, decimal lowFactor, decimal estimatedShareLimit)
    {
        if (lowFactor < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(lowFactor), lowFactor, "Must not be negative.");
        }

        if (highFactor <= lowFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(highFactor), highFactor, "Must be greater than the low factor.");
        }

        if (estimatedShareLimit is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(estimatedShareLimit), estimatedShareLimit, "A share lies in [0, 1].");
        }

        HighFactor = highFactor;
        LowFactor = lowFactor;
        EstimatedShareLimit = estimatedShareLimit;
    }

    /// <summary>Usage above this times the mean is too high (exclusive: exactly the factor passes).</summary>
    public decimal HighFactor { get; }

    /// <summary>Usage below this times the mean is too low (exclusive: exactly the factor passes).</summary>
    public decimal LowFactor { get; }

    /// <summary>Largest estimated share of the kWh that passes (inclusive).</summary>
    public decimal EstimatedShareLimit { get; }
}
