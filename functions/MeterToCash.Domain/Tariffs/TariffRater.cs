using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tariffs;

/// <summary>
/// Rates billing periods against one tariff. Build it once per tariff (it pre-compiles prices, labels and clauses)
/// and reuse it: it is immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Rounding: every line's amount is computed exactly in <see cref="decimal"/> and rounded once, half-up
/// (half away from zero), to the fen; the total is the sum of the rounded lines. Nothing else rounds money.</para>
/// <para>Quantities that are derived rather than measured round as follows, half-up: prorated ladder thresholds to
/// whole kWh; kWh split between the parts of a split period to 0.01 kWh, with the last part taking the remainder so
/// the parts add up exactly to the measured energy.</para>
/// <para>A period that spans a tariff change (or New Year, for an annual ladder) is split at the change; each part
/// gets the period's energy in proportion to its days and is rated with its own version.</para>
/// </remarks>
public sealed class TariffRater
{
    private const int MaxStackSegments = 8;
    private readonly CompiledVersion[] _versions;
    private readonly bool _anyAnnualLadder;

    /// <summary>Compiles <paramref name="tariff"/> for rating.</summary>
    /// <exception cref="ArgumentException">The tariff breaks a rule of <see cref="TariffValidation"/> — load tariffs through <see cref="TariffJson"/> or validate them first.</exception>
    public TariffRater(Tariff tariff)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        IReadOnlyList<TariffError> errors = TariffValidation.Validate(tariff);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid tariff: " + string.Join("; ", errors), nameof(tariff));
        }

        Tariff = tariff;
        _versions = new CompiledVersion[tariff.Versions.Count];
        for (int i = 0; i < _versions.Length; i++)
        {
            DateOnly? until = i + 1 < _versions.Length ? tariff.Versions[i + 1].EffectiveFrom : null;
            _versions[i] = new CompiledVersion(tariff.Versions[i], i, until);
            _anyAnnualLadder |= tariff.Versions[i].Ladder?.Period == LadderPeriod.Annual;
        }
    }

    /// <summary>The tariff rated.</summary>
    public Tariff Tariff { get; }

    /// <summary>Rates one period, or refuses with every reason found in the determinants.</summary>
    public RatingResult Rate(BillDeterminants determinants)
    {
        ArgumentNullException.ThrowIfNull(determinants);
        List<RatingError>? errors = DeterminantValidation.Validate(determinants, _versions);
        if (errors is not null)
        {
            return RatingResult.Failure(errors);
        }

        BillingPeriod period = determinants.Period;
        Span<Segment> stack = stackalloc Segment[MaxStackSegments];
        int count = 0;
        Segment[]? heap = null;
        for (int v = FirstVersionIndex(period.Start); v < _versions.Length && _versions[v].From < period.End; v++)
        {
            CompiledVersion cv = _versions[v];
            DateOnly start = cv.From > period.Start ? cv.From : period.Start;
            DateOnly end = cv.Until is DateOnly until && until < period.End ? until : period.End;
            while (start < end)
            {
                DateOnly cut = end;
                if (_anyAnnualLadder && cv.Ladder?.Period == LadderPeriod.Annual)
                {
                    DateOnly newYear = new(start.Year + 1, 1, 1);
                    if (newYear < cut)
                    {
                        cut = newYear;
                    }
                }

                if (count == stack.Length)
                {
                    heap = new Segment[stack.Length * 2];
                    stack.CopyTo(heap);
                    stack = heap;
                }

                stack[count++] = new Segment(v, start, cut);
                start = cut;
            }
        }

        Span<Segment> segments = stack[..count];
        int capacity = 0;
        foreach (Segment s in segments)
        {
            capacity += _versions[s.Version].MaxLines;
        }

        var builder = new LineBuilder(capacity);
        var billSegments = new BillSegment[count];
        decimal kwhForPf = determinants.TotalKwh;
        int pfHundredths = -1;
        if (determinants.ReactiveKvarh is decimal kvarh && (kwhForPf != 0 || kvarh != 0))
        {
            pfHundredths = PowerFactor.ComputeHundredths(kwhForPf, kvarh);
        }

        // Remainders so the parts of a split period add up exactly to the measured totals.
        BandEnergy bandsLeft = determinants.Bands ?? default;
        decimal totalLeft = determinants.TotalKwh;
        int daysLeft = period.Days;
        decimal ytd = determinants.YearToDateKwh;
        int ytdYear = segments[0].Start.Year;
        for (int i = 0; i < count; i++)
        {
            Segment s = segments[i];
            int days = s.End.DayNumber - s.Start.DayNumber;
            BandEnergy bands;
            decimal total;
            if (i == count - 1)
            {
                bands = bandsLeft;
                total = totalLeft;
            }
            else
            {
                bands = new BandEnergy(Share(bandsLeft.CriticalPeak, days, daysLeft), Share(bandsLeft.Peak, days, daysLeft), Share(bandsLeft.Flat, days, daysLeft), Share(bandsLeft.Valley, days, daysLeft));
                total = Share(totalLeft, days, daysLeft);
                bandsLeft = new BandEnergy(bandsLeft.CriticalPeak - bands.CriticalPeak, bandsLeft.Peak - bands.Peak, bandsLeft.Flat - bands.Flat, bandsLeft.Valley - bands.Valley);
                totalLeft -= total;
                daysLeft -= days;
            }

            if (i > 0 && s.Start.Year != ytdYear)
            {
                ytdYear = s.Start.Year;
                ytd = 0;
            }

            CompiledVersion cv = _versions[s.Version];
            decimal kwh = cv.IsTimeOfUse ? bands.Total : total;
            billSegments[i] = RateSegment(cv, determinants, s, bands, kwh, ytd, pfHundredths, ref builder);
            ytd += kwh;
        }

        BillLine[] lines = builder.ToArray();
        long fen = 0;
        bool estimated = false;
        foreach (BillLine line in lines)
        {
            fen = checked(fen + line.Amount.Fen);
            estimated |= line.Estimated;
        }

        return RatingResult.Success(new Bill
        {
            TariffId = Tariff.Id,
            TariffName = Tariff.Name,
            IsSampleTariff = Tariff.IsSample,
            Period = period,
            Segments = billSegments,
            Lines = lines,
            Total = new Money(fen),
            ContainsEstimates = estimated,
        });
    }

    internal int FirstVersionIndex(DateOnly day)
    {
        for (int i = _versions.Length - 1; i >= 0; i--)
        {
            if (_versions[i].From <= day)
            {
                return i;
            }
        }

        return -1;
    }

    private static decimal Share(decimal value, int days, int ofDays) =>
        value == 0 ? 0 : decimal.Round(value * days / ofDays, 2, MidpointRounding.AwayFromZero);

    private static BillSegment RateSegment(CompiledVersion cv, BillDeterminants d, Segment s, BandEnergy bands, decimal kwh, decimal ytd, int pfHundredths, ref LineBuilder b)
    {
        int days = s.End.DayNumber - s.Start.DayNumber;
        s.Start.Deconstruct(out int year, out int month, out _);
        int monthDays = DateTime.DaysInMonth(year, month);
        bool energyEstimated = (d.Estimated & EstimatedValues.ActiveEnergy) != 0;
        int firstLine = b.Count;

        if (cv.Basic is not null)
        {
            AddBasic(cv, d, days, monthDays, ref b);
        }

        if (cv.IsTimeOfUse)
        {
            for (int band = 0; band < 4; band++)
            {
                decimal q = bands[(TouBand)band];
                if (q != 0)
                {
                    b.Add(new BillLine
                    {
                        Kind = BillLineKind.Energy,
                        Description = cv.EnergyDescription[band],
                        Quantity = q,
                        Unit = "kWh",
                        Rate = cv.BandPrice[band],
                        Amount = FenRounding.ToFen(q * cv.BandPrice[band]),
                        TariffVersion = cv.Label,
                        Clause = cv.EnergyClause[band],
                        Band = (TouBand)band,
                        Estimated = energyEstimated,
                    });
                }
            }
        }
        else if (kwh != 0)
        {
            b.Add(new BillLine
            {
                Kind = BillLineKind.Energy,
                Description = cv.EnergyDescription[4],
                Quantity = kwh,
                Unit = "kWh",
                Rate = cv.SinglePrice,
                Amount = FenRounding.ToFen(kwh * cv.SinglePrice),
                TariffVersion = cv.Label,
                Clause = cv.EnergyClause[4],
                Estimated = energyEstimated,
            });
        }

        IReadOnlyList<decimal> thresholds = [];
        decimal[] tierKwh = [];
        decimal ladderStart = 0;
        if (cv.Ladder is not null)
        {
            decimal[]? prorated = ProratedThresholds(cv, d, year, days, monthDays);
            thresholds = prorated is null ? cv.ThresholdsView : System.Array.AsReadOnly(prorated);
            ladderStart = cv.Ladder.Period == LadderPeriod.Annual ? ytd : 0;
            tierKwh = AddSurcharges(cv, prorated is null ? cv.ThresholdCents : Array.ConvertAll(prorated, t => (long)t * 100), ladderStart, kwh, energyEstimated, ref b);
        }

        if (cv.PowerFactor is not null && pfHundredths >= 0)
        {
            long baseFen = 0;
            for (int i = firstLine; i < b.Count; i++)
            {
                baseFen += b[i].Amount.Fen;
            }

            PowerFactorStandard standard = d.PowerFactorStandard ?? cv.PowerFactor.Standard;
            int basisPoints = PowerFactor.AdjustmentBasisPoints(standard, pfHundredths);
            decimal percent = new(Math.Abs(basisPoints), 0, 0, basisPoints < 0, 2);
            decimal baseYuan = new Money(baseFen).Yuan;
            b.Add(new BillLine
            {
                Kind = BillLineKind.PowerFactorAdjustment,
                Description = cv.PowerFactorDescription,
                Quantity = baseYuan,
                Unit = "yuan",
                Rate = percent,
                Amount = PercentOfFen(baseFen, basisPoints),
                TariffVersion = cv.Label,
                Clause = cv.PowerFactorClause,
                PowerFactor = new PowerFactorAssessment(d.TotalKwh, d.ReactiveKvarh!.Value, new decimal(pfHundredths, 0, 0, false, 2), standard, percent),
                Estimated = energyEstimated || (d.Estimated & EstimatedValues.ReactiveEnergy) != 0,
            });
        }

        for (int i = 0; i < cv.PassThrough.Length; i++)
        {
            PassThroughComponent c = cv.PassThrough[i];
            if (kwh != 0)
            {
                b.Add(new BillLine
                {
                    Kind = BillLineKind.PassThrough,
                    Description = c.Name,
                    Quantity = kwh,
                    Unit = "kWh",
                    Rate = c.PricePerKwh,
                    Amount = FenRounding.ToFen(kwh * c.PricePerKwh),
                    TariffVersion = cv.Label,
                    Clause = cv.PassThroughClause[i],
                    Estimated = energyEstimated,
                });
            }
        }

        return new BillSegment(cv.Label, new BillingPeriod(s.Start, s.End), kwh, thresholds, ladderStart, tierKwh);
    }

    /// <summary>fen × basis points ÷ 10,000, rounded half away from zero, exactly in integers.</summary>
    private static Money PercentOfFen(long fen, int basisPoints)
    {
        Int128 product = (Int128)fen * basisPoints;
        (Int128 quotient, Int128 remainder) = Int128.DivRem(product, 10_000);
        if (Int128.Abs(remainder) * 2 >= 10_000)
        {
            quotient += Int128.Sign(product);
        }

        return new Money(checked((long)quotient));
    }

    private static void AddBasic(CompiledVersion cv, BillDeterminants d, int days, int monthDays, ref LineBuilder b)
    {
        BasicChargeDefinition basic = cv.Basic!;
        BasicChargeMethod method = d.BasicChargeMethod ?? basic.DefaultMethod;
        bool prorated = days != monthDays;
        decimal quantity;
        decimal rate;
        bool estimated = false;
        string description;
        string clause;
        if (method == BasicChargeMethod.Capacity)
        {
            quantity = d.TransformerKva!.Value;
            rate = basic.PricePerKvaMonth!.Value;
            description = cv.BasicCapacityDescription;
            clause = cv.BasicCapacityClause;
        }
        else
        {
            quantity = d.MaximumDemandKw!.Value;
            rate = basic.PricePerKwMonth!.Value;
            description = cv.BasicDemandDescription;
            clause = cv.BasicDemandClause;
            estimated = (d.Estimated & EstimatedValues.MaximumDemand) != 0;
            if (basic.MinimumDemandShareOfCapacity is decimal share && d.TransformerKva is decimal kva && kva * share > quantity)
            {
                quantity = kva * share;
                description = cv.BasicDemandMinimumDescription;
                estimated = false;
            }
        }

        decimal yuan = quantity * rate;
        if (prorated)
        {
            yuan = yuan * days / monthDays;
        }

        b.Add(new BillLine
        {
            Kind = method == BasicChargeMethod.Capacity ? BillLineKind.BasicCapacity : BillLineKind.BasicDemand,
            Description = description,
            Quantity = quantity,
            Unit = method == BasicChargeMethod.Capacity ? "kVA" : "kW",
            Rate = rate,
            Amount = FenRounding.ToFen(yuan),
            TariffVersion = cv.Label,
            Clause = clause,
            ProratedDays = prorated ? days : 0,
            ProrationBaseDays = prorated ? monthDays : 0,
            Estimated = estimated,
        });
    }

    /// <summary>The thresholds prorated for a part period, or null when the part covers the full month or year.</summary>
    private static decimal[]? ProratedThresholds(CompiledVersion cv, BillDeterminants d, int year, int days, int monthDays)
    {
        decimal[] source = cv.Thresholds;
        int covered;
        int of;
        if (cv.Ladder!.Period == LadderPeriod.Monthly)
        {
            covered = days;
            of = monthDays;
        }
        else if (d.AccountOpened is null && d.AccountClosed is null)
        {
            return null;
        }
        else
        {
            DateOnly yearStart = new(year, 1, 1);
            DateOnly yearEnd = yearStart.AddYears(1);
            DateOnly from = d.AccountOpened is DateOnly opened && opened > yearStart ? opened : yearStart;
            DateOnly to = d.AccountClosed is DateOnly closed && closed < yearEnd ? closed : yearEnd;
            covered = to.DayNumber - from.DayNumber;
            of = yearEnd.DayNumber - yearStart.DayNumber;
        }

        if (covered == of)
        {
            return null;
        }

        decimal[] result = new decimal[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            result[i] = decimal.Round(source[i] * covered / of, 0, MidpointRounding.AwayFromZero);
        }

        return result;
    }

    private static decimal[] AddSurcharges(CompiledVersion cv, long[] thresholdCents, decimal start, decimal kwh, bool estimated, ref LineBuilder b)
    {
        // Energies are validated to 0.01 kWh and thresholds are whole kWh, so the tier arithmetic is exact in
        // integer hundredths of a kWh (decimal comparisons dominated the profile).
        int tiers = cv.Surcharges.Length;
        decimal[] tierKwh = new decimal[tiers];
        long startCents = FenRounding.ToFen(start).Fen;
        long endCents = startCents + FenRounding.ToFen(kwh).Fen;
        long lower = 0;
        for (int t = 0; t < tiers; t++)
        {
            long upper = t < thresholdCents.Length ? thresholdCents[t] : long.MaxValue;
            long from = Math.Max(startCents, lower);
            long to = Math.Min(endCents, upper);
            if (to > from)
            {
                long cents = to - from;
                tierKwh[t] = new decimal((int)(cents & 0xFFFF_FFFF), (int)(cents >> 32), 0, false, 2);
            }

            lower = upper;
        }

        // For a time-of-use customer the tier is judged on all bands together and the surcharge, being the same for
        // every band, is charged once on the tier's kWh: that equals charging each band its proportional share, but
        // rounds once and keeps the total monotone in every band's consumption.
        for (int t = 0; t < tiers; t++)
        {
            if (cv.Surcharges[t] != 0 && tierKwh[t] != 0)
            {
                AddSurchargeLine(cv, t, tierKwh[t], estimated, ref b);
            }
        }

        return tierKwh;
    }

    private static void AddSurchargeLine(CompiledVersion cv, int tier, decimal quantity, bool estimated, ref LineBuilder b)
    {
        decimal rate = cv.Surcharges[tier];
        b.Add(new BillLine
        {
            Kind = BillLineKind.TierSurcharge,
            Description = cv.SurchargeDescription[tier],
            Quantity = quantity,
            Unit = "kWh",
            Rate = rate,
            Amount = FenRounding.ToFen(quantity * rate),
            TariffVersion = cv.Label,
            Clause = cv.SurchargeClause[tier],
            Tier = tier + 1,
            Estimated = estimated,
        });
    }

    internal readonly record struct Segment(int Version, DateOnly Start, DateOnly End);

    private ref struct LineBuilder
    {
        // Lines are gathered in a per-thread scratch buffer and copied once into an exactly sized array, so a bill
        // allocates one line array however many optional lines its tariff could have produced.
        [ThreadStatic]
        private static BillLine[]? t_scratch;

        private BillLine[] _lines;

        public LineBuilder(int capacity)
        {
            BillLine[]? scratch = t_scratch;
            if (scratch is null || scratch.Length < capacity)
            {
                scratch = new BillLine[Math.Max(capacity, 16)];
                t_scratch = scratch;
            }

            _lines = scratch;
            Count = 0;
        }

        public int Count { get; private set; }

        public readonly BillLine this[int index] => _lines[index];

        public void Add(BillLine line)
        {
            if (Count == _lines.Length)
            {
                Array.Resize(ref _lines, _lines.Length * 2);
                t_scratch = _lines;
            }

            _lines[Count++] = line;
        }

        public readonly BillLine[] ToArray()
        {
            BillLine[] result = _lines.AsSpan(0, Count).ToArray();

            // Drop references to this bill's power-factor assessment so the scratch buffer keeps nothing alive.
            _lines.AsSpan(0, Count).Clear();
            return result;
        }
    }
}
