using System.Globalization;
using System.Text.Json;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tariffs;

/// <summary>The outcome of loading a tariff document: the tariff, or every problem with its JSON path.</summary>
public sealed record TariffLoadResult
{
    /// <summary>The tariff; null when the document was rejected.</summary>
    public Tariff? Tariff { get; init; }

    /// <summary>Why the document was rejected; empty on success.</summary>
    public IReadOnlyList<TariffError> Errors { get; init; } = [];

    /// <summary>True when <see cref="Tariff"/> is set.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Tariff))]
    public bool IsSuccess => Tariff is not null;
}

/// <summary>
/// Loads tariffs from JSON (schema in docs/tariffs.md). Prices are JSON numbers read exactly as
/// <see cref="decimal"/>; unknown properties are refused so a misspelt field cannot silently drop a price.
/// </summary>
public static class TariffJson
{
    private const string SamplePrefix = "MeterToCash.Domain.Tariffs.Samples.";

    /// <summary>Names of the sample tariffs shipped inside the library (file names without ".json").</summary>
    public static IReadOnlyList<string> SampleNames { get; } =
    [
        .. StrictJson.EmbeddedNames(typeof(TariffJson).Assembly, SamplePrefix),
    ];

    /// <summary>Loads a shipped sample tariff by name, e.g. "shanghai-residential-tou". Samples must be verified against the current local price notice.</summary>
    /// <exception cref="ArgumentException">No sample has that name.</exception>
    public static TariffLoadResult LoadSample(string name)
    {
        using Stream stream = StrictJson.OpenEmbedded(typeof(TariffJson).Assembly, SamplePrefix, name)
            ?? throw new ArgumentException($"No sample tariff '{name}'; known: {string.Join(", ", SampleNames)}.", nameof(name));
        return Load(stream);
    }

    /// <summary>Loads a tariff from a UTF-8 JSON stream.</summary>
    public static TariffLoadResult Load(Stream utf8Json) => StrictJson.Load(utf8Json, Read, Malformed);

    /// <summary>Loads a tariff from a JSON string.</summary>
    public static TariffLoadResult Load(string json) => StrictJson.Load(json, Read, Malformed);

    /// <summary>The JSON name of a band: criticalPeak, peak, flat, valley.</summary>
    public static string BandName(TouBand band) => band switch
    {
        TouBand.CriticalPeak => "criticalPeak",
        TouBand.Peak => "peak",
        TouBand.Flat => "flat",
        TouBand.Valley => "valley",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    private static TariffLoadResult Malformed(string path, string message) =>
        new() { Errors = [new TariffError(path, message)] };

    private static TariffLoadResult Read(JsonElement root)
    {
        var r = new Reader();
        Tariff? tariff = r.Tariff(root);
        if (r.Errors.Count > 0 || tariff is null)
        {
            return new TariffLoadResult { Errors = r.Errors };
        }

        IReadOnlyList<TariffError> semantic = TariffValidation.Validate(tariff);
        return semantic.Count > 0 ? new TariffLoadResult { Errors = semantic } : new TariffLoadResult { Tariff = tariff };
    }

    private sealed class Reader
    {
        public List<TariffError> Errors { get; } = [];

        public Tariff? Tariff(JsonElement e)
        {
            if (!Object(e, "$", "id", "name", "kind", "sample", "sampleNote", "versions"))
            {
                return null;
            }

            string id = String(e, "$", "id") ?? string.Empty;
            string name = String(e, "$", "name") ?? string.Empty;
            TariffKind kind = Enum(e, "$", "kind", required: true, ("residentialLadder", TariffKind.ResidentialLadder), ("generalCommercial", TariffKind.GeneralCommercial), ("largeIndustrialTwoPart", TariffKind.LargeIndustrialTwoPart));
            bool sample = false;
            if (e.TryGetProperty("sample", out JsonElement s))
            {
                if (s.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    sample = s.GetBoolean();
                }
                else
                {
                    Errors.Add(new("$.sample", "must be true or false"));
                }
            }

            string? note = String(e, "$", "sampleNote", required: false);
            List<TariffVersion> versions = [];
            Array(e, "$", "versions", required: true, (item, path) =>
            {
                if (Version(item, path) is TariffVersion v)
                {
                    versions.Add(v);
                }
            });

            return new Tariff { Id = id, Name = name, Kind = kind, IsSample = sample, SampleNote = note, Versions = versions };
        }

        private TariffVersion? Version(JsonElement e, string p)
        {
            if (!Object(e, p, "version", "effectiveFrom", "notice", "energy", "ladder", "basic", "powerFactor", "passThrough", "lateFee", "touSchedule"))
            {
                return null;
            }

            string label = String(e, p, "version") ?? string.Empty;
            DateOnly from = default;
            if (String(e, p, "effectiveFrom") is string text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
            {
                Errors.Add(new(p + ".effectiveFrom", $"'{text}' is not a date yyyy-MM-dd"));
            }

            string? notice = String(e, p, "notice", required: false);
            EnergyCharge energy = new();
            if (Child(e, p, "energy", required: true) is JsonElement en && Object(en, p + ".energy", "singlePrice", "bands"))
            {
                BandPrices? bands = null;
                if (Child(en, p + ".energy", "bands", required: false) is JsonElement b && Object(b, p + ".energy.bands", "criticalPeak", "peak", "flat", "valley"))
                {
                    string bp = p + ".energy.bands";
                    bands = new BandPrices(Number(b, bp, "criticalPeak", false), Number(b, bp, "peak", false), Number(b, bp, "flat", false), Number(b, bp, "valley", false));
                }

                energy = new EnergyCharge { SinglePrice = Number(en, p + ".energy", "singlePrice", false), Bands = bands };
            }

            LadderDefinition? ladder = null;
            if (Child(e, p, "ladder", required: false) is JsonElement l && Object(l, p + ".ladder", "period", "tiers"))
            {
                string lp = p + ".ladder";
                LadderPeriod period = Enum(l, lp, "period", required: true, ("monthly", LadderPeriod.Monthly), ("annual", LadderPeriod.Annual));
                List<LadderTier> tiers = [];
                Array(l, lp, "tiers", required: true, (t, tp) =>
                {
                    if (Object(t, tp, "upToKwh", "surcharge"))
                    {
                        tiers.Add(new LadderTier(Number(t, tp, "upToKwh", false), Number(t, tp, "surcharge", true) ?? 0));
                    }
                });
                ladder = new LadderDefinition { Period = period, Tiers = tiers };
            }

            BasicChargeDefinition? basic = null;
            if (Child(e, p, "basic", required: false) is JsonElement bc && Object(bc, p + ".basic", "perKvaMonth", "perKwMonth", "defaultMethod", "minimumDemandShareOfCapacity"))
            {
                string bp = p + ".basic";
                basic = new BasicChargeDefinition
                {
                    PricePerKvaMonth = Number(bc, bp, "perKvaMonth", false),
                    PricePerKwMonth = Number(bc, bp, "perKwMonth", false),
                    DefaultMethod = Enum(bc, bp, "defaultMethod", required: true, ("capacity", BasicChargeMethod.Capacity), ("demand", BasicChargeMethod.Demand)),
                    MinimumDemandShareOfCapacity = Number(bc, bp, "minimumDemandShareOfCapacity", false),
                };
            }

            PowerFactorRule? pf = null;
            if (Child(e, p, "powerFactor", required: false) is JsonElement pfe && Object(pfe, p + ".powerFactor", "standard"))
            {
                decimal? standard = Number(pfe, p + ".powerFactor", "standard", true);
                if (standard is 0.90m or 0.85m or 0.80m)
                {
                    pf = new PowerFactorRule((PowerFactorStandard)(int)(standard.Value * 100));
                }
                else if (standard is not null)
                {
                    Errors.Add(new(p + ".powerFactor.standard", $"{standard} is not a national standard (0.90, 0.85 or 0.80)"));
                }
            }

            List<PassThroughComponent> passThrough = [];
            Array(e, p, "passThrough", required: false, (c, cp) =>
            {
                if (Object(c, cp, "code", "name", "perKwh"))
                {
                    passThrough.Add(new PassThroughComponent(String(c, cp, "code") ?? string.Empty, String(c, cp, "name") ?? string.Empty, Number(c, cp, "perKwh", true) ?? 0));
                }
            });

            LateFeeRule? lateFee = null;
            if (Child(e, p, "lateFee", required: false) is JsonElement lf && Object(lf, p + ".lateFee", "graceDays", "dailyRate", "crossYearDailyRate", "minimumYuan"))
            {
                string fp = p + ".lateFee";
                decimal? grace = Number(lf, fp, "graceDays", false);
                if (grace is decimal g && g != decimal.Truncate(g))
                {
                    Errors.Add(new(fp + ".graceDays", "must be a whole number of days"));
                }

                Money? minimum = null;
                if (Number(lf, fp, "minimumYuan", false) is decimal min)
                {
                    if (decimal.Round(min, 2) != min)
                    {
                        Errors.Add(new(fp + ".minimumYuan", "must have at most two decimals (whole fen)"));
                    }
                    else
                    {
                        minimum = Money.FromYuan(min);
                    }
                }

                lateFee = new LateFeeRule
                {
                    GraceDays = grace is decimal gd && gd is >= int.MinValue and <= int.MaxValue ? (int)gd : 0,
                    DailyRate = Number(lf, fp, "dailyRate", true) ?? 0,
                    CrossYearDailyRate = Number(lf, fp, "crossYearDailyRate", false),
                    Minimum = minimum,
                };
            }

            TouSchedule? schedule = null;
            if (Child(e, p, "touSchedule", required: false) is JsonElement ts && Object(ts, p + ".touSchedule", "seasons"))
            {
                schedule = Schedule(ts, p + ".touSchedule");
            }

            return new TariffVersion
            {
                Version = label,
                EffectiveFrom = from,
                Notice = notice,
                Energy = energy,
                Ladder = ladder,
                Basic = basic,
                PowerFactor = pf,
                PassThrough = passThrough,
                LateFee = lateFee,
                Schedule = schedule,
            };
        }

        private TouSchedule? Schedule(JsonElement e, string p)
        {
            int before = Errors.Count;
            List<TouSeason> seasons = [];
            Array(e, p, "seasons", required: true, (s, sp) =>
            {
                if (!Object(s, sp, "name", "months", "dayTypes", "windows"))
                {
                    return;
                }

                List<int> months = [];
                Array(s, sp, "months", required: true, (m, mp) =>
                {
                    if (m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out int month))
                    {
                        months.Add(month);
                    }
                    else
                    {
                        Errors.Add(new(mp, "must be a month number 1–12"));
                    }
                });

                List<DayType> dayTypes = [];
                if (s.TryGetProperty("dayTypes", out _))
                {
                    Array(s, sp, "dayTypes", required: true, (d, dp) =>
                    {
                        switch (d.ValueKind == JsonValueKind.String ? d.GetString() : null)
                        {
                            case "workday": dayTypes.Add(DayType.Workday); break;
                            case "weekend": dayTypes.Add(DayType.Weekend); break;
                            case "holiday": dayTypes.Add(DayType.Holiday); break;
                            default: Errors.Add(new(dp, "must be workday, weekend or holiday")); break;
                        }
                    });
                }
                else
                {
                    dayTypes.AddRange([DayType.Workday, DayType.Weekend, DayType.Holiday]);
                }

                List<TouWindow> windows = [];
                Array(s, sp, "windows", required: true, (w, wp) =>
                {
                    if (!Object(w, wp, "band", "from", "to"))
                    {
                        return;
                    }

                    TouBand band = Enum(w, wp, "band", required: true, ("criticalPeak", TouBand.CriticalPeak), ("peak", TouBand.Peak), ("flat", TouBand.Flat), ("valley", TouBand.Valley));
                    TimeOnly from = Time(w, wp, "from");
                    TimeOnly to = Time(w, wp, "to");
                    windows.Add(new TouWindow(band, from, to));
                });

                seasons.Add(new TouSeason { Name = String(s, sp, "name") ?? string.Empty, Months = months, DayTypes = dayTypes, Windows = windows });
            });

            if (Errors.Count > before)
            {
                return null;
            }

            TouSchedule.Validate(seasons, p, Errors);
            return Errors.Count > before ? null : TouSchedule.Create(seasons);
        }

        private TimeOnly Time(JsonElement e, string p, string name)
        {
            if (String(e, p, name) is string text)
            {
                if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly time))
                {
                    return time;
                }

                Errors.Add(new($"{p}.{name}", $"'{text}' is not a time HH:mm (use 00:00 for midnight)"));
            }

            return default;
        }

        private bool Object(JsonElement e, string p, params string[] allowed)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new(p, $"must be an object, found {e.ValueKind}"));
                return false;
            }

            Errors.AddRange(StrictJson.UnknownProperties(e, p, allowed).Select(u => new TariffError(u.Path, u.Message)));
            return true;
        }

        private JsonElement? Child(JsonElement e, string p, string name, bool required)
        {
            if (e.TryGetProperty(name, out JsonElement child) && child.ValueKind != JsonValueKind.Null)
            {
                return child;
            }

            if (required)
            {
                Errors.Add(new($"{p}.{name}", "is required"));
            }

            return null;
        }

        private string? String(JsonElement e, string p, string name, bool required = true)
        {
            if (Child(e, p, name, required) is not JsonElement child)
            {
                return null;
            }

            if (child.ValueKind != JsonValueKind.String)
            {
                Errors.Add(new($"{p}.{name}", $"must be a string, found {child.ValueKind}"));
                return null;
            }

            return child.GetString();
        }

        private decimal? Number(JsonElement e, string p, string name, bool required)
        {
            if (Child(e, p, name, required) is not JsonElement child)
            {
                return null;
            }

            if (child.ValueKind != JsonValueKind.Number || !child.TryGetDecimal(out decimal value))
            {
                Errors.Add(new($"{p}.{name}", $"must be a number, found {child.ValueKind} {child.GetRawText()}"));
                return null;
            }

            return value;
        }

        private T Enum<T>(JsonElement e, string p, string name, bool required, params (string Name, T Value)[] values)
            where T : struct
        {
            if (String(e, p, name, required) is not string text)
            {
                return default;
            }

            foreach ((string n, T v) in values)
            {
                if (n == text)
                {
                    return v;
                }
            }

            Errors.Add(new($"{p}.{name}", $"'{text}' is not one of {string.Join(", ", values.Select(v => v.Name))}"));
            return default;
        }

        private void Array(JsonElement e, string p, string name, bool required, Action<JsonElement, string> item)
        {
            if (Child(e, p, name, required) is not JsonElement child)
            {
                return;
            }

            if (child.ValueKind != JsonValueKind.Array)
            {
                Errors.Add(new($"{p}.{name}", $"must be an array, found {child.ValueKind}"));
                return;
            }

            int i = 0;
            foreach (JsonElement element in child.EnumerateArray())
            {
                item(element, $"{p}.{name}[{i++}]");
            }
        }
    }
}
