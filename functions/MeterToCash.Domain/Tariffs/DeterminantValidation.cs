using MeterToCash.Domain.Common;
namespace MeterToCash.Domain.Tariffs;

/// <summary>Checks determinants against general rules and against what the versions covering the period need.</summary>
internal static class DeterminantValidation
{
    /// <summary>Every problem found, or null when there is none (so the happy path allocates nothing).</summary>
    public static List<RatingError>? Validate(BillDeterminants d, CompiledVersion[] versions)
    {
        List<RatingError>? errors = null;
        BillingPeriod period = d.Period;
        if (period.Days <= 0)
        {
            Add(ref errors, "Period", "PositiveDays", $"the period {period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd} (end exclusive) has no days");
        }

        Energy(ref errors, "TotalKwh", d.TotalKwh);
        if (d.Bands is BandEnergy bands)
        {
            Energy(ref errors, "Bands.CriticalPeak", bands.CriticalPeak);
            Energy(ref errors, "Bands.Peak", bands.Peak);
            Energy(ref errors, "Bands.Flat", bands.Flat);
            Energy(ref errors, "Bands.Valley", bands.Valley);
            decimal gap = Math.Abs(bands.Total - d.TotalKwh);
            if (gap > BillDeterminants.BandSumToleranceKwh)
            {
                Add(ref errors, "Bands", "SumMatchesTotal", $"the bands add up to {bands.Total} kWh but the total register shows {d.TotalKwh} kWh (tolerance {BillDeterminants.BandSumToleranceKwh} kWh)");
            }
        }

        if (d.ReactiveKvarh is decimal kvarh)
        {
            Energy(ref errors, "ReactiveKvarh", kvarh);
        }

        if (d.MaximumDemandKw is < 0)
        {
            Add(ref errors, "MaximumDemandKw", "NonNegative", "maximum demand must not be negative");
        }

        if (d.TransformerKva is < 0)
        {
            Add(ref errors, "TransformerKva", "NonNegative", "transformer capacity must not be negative");
        }

        Energy(ref errors, "YearToDateKwh", d.YearToDateKwh);
        if (d.AccountOpened is DateOnly opened && opened > period.Start)
        {
            Add(ref errors, "AccountOpened", "BeforePeriod", "the period must not start before the move-in date; start it on the move-in day");
        }

        if (d.AccountClosed is DateOnly closed && closed < period.End)
        {
            Add(ref errors, "AccountClosed", "AfterPeriod", "the period must not end after the move-out date; end it on the move-out day");
        }

        if (errors is not null)
        {
            return errors;
        }

        int first = -1;
        for (int i = versions.Length - 1; i >= 0; i--)
        {
            if (versions[i].From <= period.Start)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            Add(ref errors, "Period.Start", "TariffInEffect", $"no tariff version is in effect on {period.Start:yyyy-MM-dd}; the first starts {versions[0].From:yyyy-MM-dd}");
            return errors;
        }

        for (int i = first; i < versions.Length && versions[i].From < period.End; i++)
        {
            NeedsOf(ref errors, d, versions[i]);
        }

        return errors;
    }

    private static void NeedsOf(ref List<RatingError>? errors, BillDeterminants d, CompiledVersion v)
    {
        if (v.IsTimeOfUse)
        {
            if (d.Bands is not BandEnergy bands)
            {
                Add(ref errors, "Bands", "Required", $"version {v.Label} prices energy by time-of-use band, so energy per band is needed");
            }
            else
            {
                for (int band = 0; band < 4; band++)
                {
                    if (!v.BandPriced[band] && bands[(TouBand)band] != 0)
                    {
                        Add(ref errors, "Bands." + (TouBand)band, "PricedBand", $"version {v.Label} has no {(TouBand)band} band, yet {bands[(TouBand)band]} kWh were recorded in it");
                    }
                }
            }
        }

        if (v.PowerFactor is not null && d.ReactiveKvarh is null)
        {
            Add(ref errors, "ReactiveKvarh", "Required", $"version {v.Label} applies a power-factor adjustment, so reactive energy is needed");
        }

        if (v.Basic is BasicChargeDefinition basic)
        {
            BasicChargeMethod method = d.BasicChargeMethod ?? basic.DefaultMethod;
            if (method == BasicChargeMethod.Capacity)
            {
                if (basic.PricePerKvaMonth is null)
                {
                    Add(ref errors, "BasicChargeMethod", "Offered", $"version {v.Label} has no capacity price");
                }

                if (d.TransformerKva is null)
                {
                    Add(ref errors, "TransformerKva", "Required", "a capacity basic charge needs the transformer capacity");
                }
            }
            else
            {
                if (basic.PricePerKwMonth is null)
                {
                    Add(ref errors, "BasicChargeMethod", "Offered", $"version {v.Label} has no demand price");
                }

                if (d.MaximumDemandKw is null)
                {
                    Add(ref errors, "MaximumDemandKw", "Required", "a demand basic charge needs the maximum demand");
                }
            }
        }
    }

    private static void Energy(ref List<RatingError>? errors, string field, decimal value)
    {
        if (value < 0)
        {
            Add(ref errors, field, "NonNegative", $"{value} must not be negative");
        }
        else if (value > PowerFactor.MaxEnergy)
        {
            Add(ref errors, field, "Range", $"{value} exceeds 10^12");
        }
        else if (value.Scale > 2 && decimal.Round(value, 2) != value)
        {
            Add(ref errors, field, "Resolution", $"{value} has more than two decimals (registers resolve 0.01)");
        }
    }

    private static void Add(ref List<RatingError>? errors, string field, string rule, string message) =>
        (errors ??= []).Add(new RatingError(field, rule, message));
}
