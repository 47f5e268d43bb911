namespace MeterToCash.Domain.MeterData;

/// <summary>The result of validating one delivered register read against its register's stored reads.</summary>
/// <param name="Validated">The read with the rules evaluated and failed, and the delta to <paramref name="Previous"/>.</param>
/// <param name="Previous">The read the delta is measured from: the latest stored (or earlier accepted) read of the register before this one.</param>
/// <param name="Conflict">
/// True when a read of the same register at the same instant is already known with another value or quality. The domain
/// rule is that the first read wins (<see cref="VeeRules.Duplicate"/>); the flag lets the pipeline send the conflicting
/// read to review instead of dropping it as a redelivery.
/// </param>
public readonly record struct RegisterCheck(ValidatedRegister Validated, RegisterReading? Previous, bool Conflict);

/// <summary>
/// Validates a delivery of register reads of one meter against the stored reads of its registers, with
/// <see cref="IntervalValidator.ValidateRegister"/>. Pure and deterministic.
/// </summary>
/// <remarks>
/// Each register (channel, band) is handled in time order, so reads of one delivery are judged against each other as if
/// they had arrived one by one: a read the delivery stores becomes the previous read of the next one. A late read that
/// lands between two known reads is checked against both neighbours, so a back-filled value that would make the later
/// read look like a roll-back is refused too.
/// </remarks>
public static class RegisterSeries
{
    /// <summary>Validates <paramref name="delivery"/> (any order, one meter) against <paramref name="stored"/>.</summary>
    /// <param name="delivery">Reads of <paramref name="meter"/>.</param>
    /// <param name="stored">Stored reads of the same meter (any registers, any order); only those of the delivered registers matter.</param>
    /// <param name="meter">Archive entry.</param>
    /// <param name="now">Current time, UTC.</param>
    /// <param name="options">Thresholds.</param>
    /// <returns>One check per delivered read, same order as <paramref name="delivery"/>.</returns>
    public static RegisterCheck[] Validate(IReadOnlyList<RegisterReading> delivery, IReadOnlyList<RegisterReading> stored, MeterArchiveEntry meter, DateTimeOffset now, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(options);

        Dictionary<(MeterChannel, RegisterBand), SortedList<DateTimeOffset, RegisterReading>> known = [];
        foreach (RegisterReading s in stored)
        {
            if (s.Meter == meter.Meter)
            {
                Known(known, s).TryAdd(s.ReadAt, s);
            }
        }

        var checks = new RegisterCheck[delivery.Count];
        // Stable order by time: equal instants keep delivery order, so the first of two conflicting reads wins.
        int[] order = Enumerable.Range(0, delivery.Count).OrderBy(i => delivery[i].ReadAt).ToArray();
        foreach (int i in order)
        {
            RegisterReading r = delivery[i];
            if (r.Meter != meter.Meter)
            {
                throw new ArgumentException($"Read {i} belongs to another meter than the archive entry.", nameof(delivery));
            }

            SortedList<DateTimeOffset, RegisterReading> series = Known(known, r);
            if (series.TryGetValue(r.ReadAt, out RegisterReading same))
            {
                ValidatedRegister repeat = IntervalValidator.ValidateRegister(r, same, meter, now, options);
                checks[i] = new RegisterCheck(repeat, null, same.Value != r.Value || same.Quality != r.Quality);
                continue;
            }

            int after = LowerBound(series.Keys, r.ReadAt);
            RegisterReading? previous = after > 0 ? series.Values[after - 1] : null;
            RegisterReading? next = after < series.Count ? series.Values[after] : null;
            ValidatedRegister v = IntervalValidator.ValidateRegister(r, previous, meter, now, options);
            if (next is { } n)
            {
                // Against the later neighbour only the failures count: the delta is always measured from the previous read.
                v = v with { Failed = v.Failed | IntervalValidator.ValidateRegister(r, n, meter, now, options).Failed };
            }

            checks[i] = new RegisterCheck(v, previous, false);
            if (v.Disposition is ValueDisposition.Accepted or ValueDisposition.Suspect)
            {
                series.Add(r.ReadAt, r);
            }
        }

        return checks;
    }

    /// <summary>
    /// True when the span between two reads can be checked against day curves cheaply: both at a China-local midnight
    /// (daily frozen reads), in order, at most <paramref name="maxDays"/> days apart.
    /// </summary>
    public static bool IsDayAlignedSpan(DateTimeOffset from, DateTimeOffset to, int maxDays) =>
        to > from
        && from == ChinaTime.DayStart(ChinaTime.LocalDay(from)) && to == ChinaTime.DayStart(ChinaTime.LocalDay(to))
        && to - from <= TimeSpan.FromDays(maxDays);

    static SortedList<DateTimeOffset, RegisterReading> Known(Dictionary<(MeterChannel, RegisterBand), SortedList<DateTimeOffset, RegisterReading>> known, RegisterReading r)
    {
        if (!known.TryGetValue((r.Channel, r.Band), out var series))
        {
            known[(r.Channel, r.Band)] = series = [];
        }

        return series;
    }

    static int LowerBound(IList<DateTimeOffset> keys, DateTimeOffset value)
    {
        int lo = 0, hi = keys.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
