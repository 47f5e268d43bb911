using MeterToCash.Domain.Common;
namespace MeterToCash.Domain.Tariffs;

/// <summary>Checks a tariff object for rule violations; the JSON loader and <see cref="TariffRater"/> both use it.</summary>
public static class TariffValidation
{
    /// <summary>Every problem of <paramref name="tariff"/>, each with the JSON path of the field at fault; empty when valid.</summary>
    public static IReadOnlyList<TariffError> Validate(Tariff tariff)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        List<TariffError> errors = [];
        if (string.IsNullOrWhiteSpace(tariff.Id))
        {
            errors.Add(new("$.id", "is required"));
        }

        if (string.IsNullOrWhiteSpace(tariff.Name))
        {
            errors.Add(new("$.name", "is required"));
        }

        if (tariff.Versions is null || tariff.Versions.Count == 0)
        {
            errors.Add(new("$.versions", "at least one version is required"));
            return errors;
        }

        HashSet<string> labels = new(StringComparer.Ordinal);
        for (int i = 0; i < tariff.Versions.Count; i++)
        {
            TariffVersion v = tariff.Versions[i];
            string p = $"$.versions[{i}]";
            if (string.IsNullOrWhiteSpace(v.Version))
            {
                errors.Add(new(p + ".version", "is required"));
            }
            else if (!labels.Add(v.Version))
            {
                errors.Add(new(p + ".version", $"'{v.Version}' is used by an earlier version"));
            }

            if (i > 0 && v.EffectiveFrom <= tariff.Versions[i - 1].EffectiveFrom)
            {
                errors.Add(new(p + ".effectiveFrom", "must be after the previous version's effectiveFrom"));
            }

            ValidateVersion(tariff.Kind, v, p, errors);
        }

        return errors;
    }

    private static void ValidateVersion(TariffKind kind, TariffVersion v, string p, List<TariffError> errors)
    {
        if (v.Energy is null)
        {
            errors.Add(new(p + ".energy", "is required"));
        }
        else if (v.Energy.SinglePrice is null == v.Energy.Bands is null)
        {
            errors.Add(new(p + ".energy", "give exactly one of singlePrice or bands"));
        }
        else if (v.Energy.SinglePrice is decimal single)
        {
            NonNegative(single, p + ".energy.singlePrice", errors);
        }
        else
        {
            BandPrices bands = v.Energy.Bands!.Value;
            bool any = false;
            foreach (TouBand band in Enum.GetValues<TouBand>())
            {
                if (bands[band] is decimal price)
                {
                    any = true;
                    NonNegative(price, $"{p}.energy.bands.{TariffJson.BandName(band)}", errors);
                }
            }

            if (!any)
            {
                errors.Add(new(p + ".energy.bands", "at least one band needs a price"));
            }

            if (v.Schedule is not null)
            {
                for (int s = 0; s < v.Schedule.Seasons.Count; s++)
                {
                    IReadOnlyList<TouWindow> windows = v.Schedule.Seasons[s].Windows;
                    for (int w = 0; w < windows.Count; w++)
                    {
                        if (bands[windows[w].Band] is null)
                        {
                            errors.Add(new($"{p}.touSchedule.seasons[{s}].windows[{w}].band", $"band {TariffJson.BandName(windows[w].Band)} has no price in energy.bands"));
                        }
                    }
                }
            }
        }

        switch (kind)
        {
            case TariffKind.ResidentialLadder:
                if (v.Ladder is null)
                {
                    errors.Add(new(p + ".ladder", "is required for a residentialLadder tariff"));
                }

                Forbid(v.Basic, p + ".basic", "a residentialLadder tariff has no basic charge", errors);
                Forbid(v.PowerFactor, p + ".powerFactor", "a residentialLadder tariff has no power-factor adjustment", errors);
                break;
            case TariffKind.GeneralCommercial:
                Forbid(v.Ladder, p + ".ladder", "only residentialLadder tariffs have a ladder", errors);
                break;
            case TariffKind.LargeIndustrialTwoPart:
                Forbid(v.Ladder, p + ".ladder", "only residentialLadder tariffs have a ladder", errors);
                if (v.Basic is null)
                {
                    errors.Add(new(p + ".basic", "is required for a largeIndustrialTwoPart tariff"));
                }

                break;
            default:
                errors.Add(new("$.kind", "unknown tariff kind"));
                break;
        }

        if (v.Ladder is not null)
        {
            ValidateLadder(v.Ladder, p + ".ladder", errors);
        }

        if (v.Basic is not null)
        {
            ValidateBasic(v.Basic, p + ".basic", errors);
        }

        if (v.PowerFactor is not null && !Enum.IsDefined(v.PowerFactor.Standard))
        {
            errors.Add(new(p + ".powerFactor.standard", "must be 0.90, 0.85 or 0.80"));
        }

        HashSet<string> codes = new(StringComparer.Ordinal);
        for (int i = 0; i < v.PassThrough.Count; i++)
        {
            PassThroughComponent c = v.PassThrough[i];
            string cp = $"{p}.passThrough[{i}]";
            if (string.IsNullOrWhiteSpace(c.Code))
            {
                errors.Add(new(cp + ".code", "is required"));
            }
            else if (!codes.Add(c.Code))
            {
                errors.Add(new(cp + ".code", $"'{c.Code}' appears twice"));
            }

            if (string.IsNullOrWhiteSpace(c.Name))
            {
                errors.Add(new(cp + ".name", "is required"));
            }

            NonNegative(c.PricePerKwh, cp + ".perKwh", errors);
        }

        if (v.LateFee is not null)
        {
            LateFeeRule f = v.LateFee;
            if (f.GraceDays < 0)
            {
                errors.Add(new(p + ".lateFee.graceDays", "must not be negative"));
            }

            Fraction(f.DailyRate, p + ".lateFee.dailyRate", errors);
            if (f.CrossYearDailyRate is decimal cross)
            {
                Fraction(cross, p + ".lateFee.crossYearDailyRate", errors);
            }

            if (f.Minimum is { Fen: < 0 })
            {
                errors.Add(new(p + ".lateFee.minimumYuan", "must not be negative"));
            }
        }
    }

    private static void ValidateLadder(LadderDefinition ladder, string p, List<TariffError> errors)
    {
        if (ladder.Tiers is null || ladder.Tiers.Count == 0)
        {
            errors.Add(new(p + ".tiers", "at least one tier is required"));
            return;
        }

        if (!Enum.IsDefined(ladder.Period))
        {
            errors.Add(new(p + ".period", "must be monthly or annual"));
        }

        decimal previous = 0;
        for (int t = 0; t < ladder.Tiers.Count; t++)
        {
            LadderTier tier = ladder.Tiers[t];
            string tp = $"{p}.tiers[{t}]";
            bool last = t == ladder.Tiers.Count - 1;
            if (last && tier.UpToKwh is not null)
            {
                errors.Add(new(tp + ".upToKwh", "the last tier is open-ended and has no threshold"));
            }
            else if (!last && tier.UpToKwh is not decimal upTo)
            {
                errors.Add(new(tp + ".upToKwh", "is required on every tier but the last"));
            }
            else if (!last)
            {
                decimal threshold = tier.UpToKwh!.Value;
                if (threshold != decimal.Truncate(threshold))
                {
                    errors.Add(new(tp + ".upToKwh", "must be a whole number of kWh"));
                }
                else if (threshold <= previous)
                {
                    errors.Add(new(tp + ".upToKwh", $"must be greater than {previous} (the previous threshold)"));
                }

                previous = threshold;
            }

            NonNegative(tier.Surcharge, tp + ".surcharge", errors);
        }
    }

    private static void ValidateBasic(BasicChargeDefinition basic, string p, List<TariffError> errors)
    {
        if (basic.PricePerKvaMonth is null && basic.PricePerKwMonth is null)
        {
            errors.Add(new(p, "give perKvaMonth, perKwMonth or both"));
        }

        if (basic.PricePerKvaMonth is decimal kva)
        {
            NonNegative(kva, p + ".perKvaMonth", errors);
        }

        if (basic.PricePerKwMonth is decimal kw)
        {
            NonNegative(kw, p + ".perKwMonth", errors);
        }

        if ((basic.DefaultMethod == BasicChargeMethod.Capacity && basic.PricePerKvaMonth is null) ||
            (basic.DefaultMethod == BasicChargeMethod.Demand && basic.PricePerKwMonth is null))
        {
            errors.Add(new(p + ".defaultMethod", "the default method needs its price"));
        }

        if (basic.MinimumDemandShareOfCapacity is decimal share && (share < 0 || share > 1))
        {
            errors.Add(new(p + ".minimumDemandShareOfCapacity", "must be between 0 and 1"));
        }
    }

    private static void Forbid(object? value, string path, string message, List<TariffError> errors)
    {
        if (value is not null)
        {
            errors.Add(new(path, message));
        }
    }

    private static void NonNegative(decimal value, string path, List<TariffError> errors)
    {
        if (value < 0)
        {
            errors.Add(new(path, "must not be negative"));
        }
    }

    private static void Fraction(decimal value, string path, List<TariffError> errors)
    {
        if (value < 0 || value >= 1)
        {
            errors.Add(new(path, "must be a fraction per day, 0 ≤ rate < 1 (0.001 = 1‰)"));
        }
    }
}
