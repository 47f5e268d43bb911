using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.MeterData;

/// <summary>How an estimated value was produced.</summary>
public enum EstimationMethod : byte
{
    /// <summary>Not estimated, or estimated by the source with no method given.</summary>
    None = 0,

    /// <summary>Linear interpolation between the actual neighbours of a short gap.</summary>
    LinearInterpolation = 1,

    /// <summary>Average of the same slot on the same weekday of previous weeks.</summary>
    SameWeekdayProfile = 2,

    /// <summary>Average of the same slot on recent days of the same day type (workday / weekend).</summary>
    SimilarDayProfile = 3,
}

/// <summary>The current content of one slot of a day curve.</summary>
/// <param name="HasValue">False for a slot nothing was delivered or estimated for.</param>
/// <param name="Value">Energy of the slot in the channel unit (4 decimals max).</param>
/// <param name="Quality">Quality of the value.</param>
/// <param name="Version">1 for the first value, +1 on every change of value or quality.</param>
/// <param name="Failed">VEE rules the value failed (soft rules only; rejected values never reach a curve).</param>
/// <param name="Method">Estimation method when <paramref name="Quality"/> is estimated.</param>
public readonly record struct CurveSlot(bool HasValue, decimal Value, ReadingQuality Quality, ushort Version, VeeRules Failed, EstimationMethod Method)
{
    /// <summary>
    /// Whether the value feeds an area's load (load rate, line loss, the load forecast): actual values that passed
    /// validation, estimates and manual edits. A value VEE flagged as suspect (<see cref="ReadingQuality.Questionable"/>:
    /// a spike, a source-flagged read) counts as missing, so a doubted value neither raises an overload, moves the loss
    /// nor trains the forecast; it lowers completeness instead.
    /// </summary>
    public bool CountsTowardLoad => HasValue && Quality != ReadingQuality.Questionable;

    /// <summary>
    /// The recorded outcome of a rule for this slot: Estimated for <see cref="VeeRules.Gap"/> on an estimated value,
    /// Fail for a failed rule, otherwise Pass (empty slots: NotEvaluated).
    /// </summary>
    public VeeOutcome OutcomeOf(VeeRules rule)
    {
        if (!HasValue)
        {
            return VeeOutcome.NotEvaluated;
        }

        VeeRules estimated = Quality == ReadingQuality.Estimated ? Failed & VeeRules.Gap : VeeRules.None;
        return VeeRuleCatalog.OutcomeOf(rule, VeeRuleCatalog.IntervalRules | VeeRules.Gap, Failed, estimated);
    }
}

/// <summary>A superseded value of a slot (version history; originals are never lost).</summary>
/// <param name="Slot">Slot index.</param>
/// <param name="Version">The version the value had while current.</param>
/// <param name="Value">The superseded value.</param>
/// <param name="Quality">Its quality.</param>
/// <param name="Failed">Rules it failed.</param>
/// <param name="Method">Its estimation method.</param>
public readonly record struct CurveRevision(int Slot, ushort Version, decimal Value, ReadingQuality Quality, VeeRules Failed, EstimationMethod Method);

/// <summary>A value to merge into a slot.</summary>
/// <param name="Slot">Slot index (0 = local midnight).</param>
/// <param name="Value">Energy, channel unit, at most 4 decimals.</param>
/// <param name="Quality">Quality to store.</param>
/// <param name="Failed">Soft VEE rules it failed.</param>
/// <param name="Method">Estimation method for estimated values.</param>
public readonly record struct CurveUpdate(int Slot, decimal Value, ReadingQuality Quality, VeeRules Failed = VeeRules.None, EstimationMethod Method = EstimationMethod.None);

/// <summary>What merging one update did.</summary>
public enum MergeOutcome : byte
{
    /// <summary>Filled an empty slot.</summary>
    Inserted = 0,

    /// <summary>Replaced a lower-ranked value (e.g. actual over estimate); the old one went to history.</summary>
    Replaced = 1,

    /// <summary>Same value and quality as current, or a replay of a superseded value: no change.</summary>
    Unchanged = 2,

    /// <summary>The slot holds a higher-ranked value (e.g. estimate offered for an actual): ignored.</summary>
    KeptExisting = 3,

    /// <summary>A different actual for a slot that already has an actual of the same rank: refused, send to review.</summary>
    ConflictRejected = 4,

    /// <summary>The slot already has <see cref="DayCurve.MaxRevisionsPerSlot"/> superseded values: refused.</summary>
    RevisionLimitReached = 5,

    /// <summary>Slot index outside the day or value not storable: refused.</summary>
    Invalid = 6,
}

/// <summary>The outcome of a merge.</summary>
/// <param name="Curve">The curve after the merge (the same instance when nothing changed).</param>
/// <param name="Outcomes">One outcome per update, same order.</param>
public sealed record CurveMergeResult(DayCurve Curve, IReadOnlyList<MergeOutcome> Outcomes)
{
    /// <summary>True when the curve changed.</summary>
    public bool Changed => Outcomes.Any(o => o is MergeOutcome.Inserted or MergeOutcome.Replaced);
}

/// <summary>
/// One meter's curve for one channel and one China local day: all slots in one packed value, stored as ONE table
/// entity per (meter, channel, day). Immutable; <see cref="Merge(ReadOnlySpan{CurveUpdate})"/> returns a new curve.
/// </summary>
/// <remarks>
/// <para>Merge policy (deterministic and idempotent; see docs/meter-data.md):
/// empty slot → insert; identical value and quality → unchanged; a value equal to one already superseded in the
/// slot's history → unchanged (a replay must not flip the slot back); higher quality rank → replace;
/// lower rank → keep existing; same rank and different value → replace for estimates and manual edits
/// (latest wins), but <b>refuse</b> for actual meter reads (first actual wins, the conflicting read is
/// reported for review). Every replacement pushes the old value to history and increments the slot version.</para>
/// <para>Binary format v1 (little-endian varints): 'M', 1, intervalMinutes, presence bitmap (1 bit per slot),
/// then per present slot: status byte (bits 0–1 quality, 2–3 method, 4 has-failed-rules), version, zig-zag value in
/// 0.0001 units, [failed rules]; then history count and entries (slot byte, status, version, value, [failed]).
/// With at most 16 revisions per slot a 96-slot day stays below 40 KB, under the 64 KiB Azure Table binary limit.</para>
/// </remarks>
public sealed class DayCurve : IEquatable<DayCurve>
{
    /// <summary>Most superseded values kept per slot; further changes are refused.</summary>
    public const int MaxRevisionsPerSlot = 16;

    /// <summary>Largest encoded size of any curve (Azure Table binary property limit).</summary>
    public const int MaxEncodedBytes = 64 * 1024;

    private const byte Magic = (byte)'M';
    private const byte FormatVersion = 1;
    private const decimal ValueScale = 10_000m;

    private readonly CurveSlot[] _slots;
    private readonly CurveRevision[] _history;

    private DayCurve(MeterId meter, MeterChannel channel, DateOnly day, int intervalMinutes, CurveSlot[] slots, CurveRevision[] history)
    {
        Meter = meter;
        Channel = channel;
        Day = day;
        IntervalMinutes = intervalMinutes;
        _slots = slots;
        _history = history;
    }

    /// <summary>Meter number.</summary>
    public MeterId Meter { get; }

    /// <summary>Channel.</summary>
    public MeterChannel Channel { get; }

    /// <summary>China local day (UTC+8) the curve covers.</summary>
    public DateOnly Day { get; }

    /// <summary>Slot length in minutes (15, 30 or 60).</summary>
    public int IntervalMinutes { get; }

    /// <summary>Number of slots: 1440 / <see cref="IntervalMinutes"/> (96 for 15 minutes).</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Current slot contents, index 0 starting at local midnight.</summary>
    public ReadOnlySpan<CurveSlot> Slots => _slots;

    /// <summary>Superseded values, oldest first per slot.</summary>
    public IReadOnlyList<CurveRevision> History => _history;

    /// <summary>An empty curve.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not 15, 30 or 60 minutes (a caller bug).</exception>
    public static DayCurve Empty(MeterId meter, MeterChannel channel, DateOnly day, int intervalMinutes)
    {
        if (!MeterChannels.IsSupportedInterval(intervalMinutes))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalMinutes), intervalMinutes, "15, 30 or 60 minutes.");
        }

        // Shared: a curve never writes into its slots (Merge copies them first), and every absent curve a delivery
        // validates against would otherwise allocate its own empty day.
        CurveSlot[] slots = intervalMinutes switch { 15 => EmptySlots15, 30 => EmptySlots30, _ => EmptySlots60 };
        return new DayCurve(meter, channel, day, intervalMinutes, slots, []);
    }

    private static readonly CurveSlot[] EmptySlots15 = new CurveSlot[96], EmptySlots30 = new CurveSlot[48], EmptySlots60 = new CurveSlot[24];

    /// <summary>Start of a slot, UTC, inclusive.</summary>
    public DateTimeOffset SlotStart(int slot) => ChinaTime.DayStart(Day).AddMinutes(slot * IntervalMinutes);

    /// <summary>The slot an interval start falls on; false when it is not on this day's grid.</summary>
    public bool TryGetSlot(DateTimeOffset start, out int slot)
    {
        slot = -1;
        TimeSpan offset = start - ChinaTime.DayStart(Day);
        if (offset < TimeSpan.Zero || offset.Ticks % (IntervalMinutes * TimeSpan.TicksPerMinute) != 0)
        {
            return false;
        }

        long index = offset.Ticks / (IntervalMinutes * TimeSpan.TicksPerMinute);
        if (index >= _slots.Length)
        {
            return false;
        }

        slot = (int)index;
        return true;
    }

    /// <summary>Merges updates in order and returns the new curve with one outcome per update.</summary>
    public CurveMergeResult Merge(ReadOnlySpan<CurveUpdate> updates)
    {
        var outcomes = new MergeOutcome[updates.Length];
        DayCurve curve = Merge(updates, outcomes);
        return new CurveMergeResult(curve, outcomes);
    }

    /// <summary>Merges updates in order, writing one outcome per update into <paramref name="outcomes"/>.</summary>
    /// <returns>The new curve, or this instance when nothing changed.</returns>
    public DayCurve Merge(ReadOnlySpan<CurveUpdate> updates, Span<MergeOutcome> outcomes)
    {
        if (outcomes.Length < updates.Length)
        {
            throw new ArgumentException("One outcome per update is needed.", nameof(outcomes));
        }

        CurveSlot[]? slots = null;
        List<CurveRevision>? history = null;
        for (int i = 0; i < updates.Length; i++)
        {
            CurveUpdate u = updates[i];
            if ((uint)u.Slot >= (uint)_slots.Length || !MeterChannels.IsStorable(u.Value) || !Enum.IsDefined(u.Quality))
            {
                outcomes[i] = MergeOutcome.Invalid;
                continue;
            }

            CurveSlot current = (slots ?? _slots)[u.Slot];
            IReadOnlyList<CurveRevision> currentHistory = (IReadOnlyList<CurveRevision>?)history ?? _history;
            MergeOutcome outcome = Decide(current, u, currentHistory);
            outcomes[i] = outcome;
            if (outcome is not (MergeOutcome.Inserted or MergeOutcome.Replaced))
            {
                continue;
            }

            slots ??= (CurveSlot[])_slots.Clone();
            if (outcome == MergeOutcome.Replaced)
            {
                history ??= [.. _history];
                history.Add(new CurveRevision(u.Slot, current.Version, current.Value, current.Quality, current.Failed, current.Method));
            }

            EstimationMethod method = u.Quality == ReadingQuality.Estimated ? u.Method : EstimationMethod.None;
            slots[u.Slot] = new CurveSlot(true, u.Value, u.Quality, (ushort)(current.Version + 1), u.Failed, method);
        }

        if (slots is null)
        {
            return this;
        }

        // Only a replacement adds history; a curve filled with new values keeps the (usually empty) history it had.
        CurveRevision[] ordered = history is null ? _history : [.. history.OrderBy(h => h.Slot).ThenBy(h => h.Version)];
        return new DayCurve(Meter, Channel, Day, IntervalMinutes, slots, ordered);
    }

    private static MergeOutcome Decide(CurveSlot current, CurveUpdate u, IReadOnlyList<CurveRevision> history)
    {
        if (!current.HasValue)
        {
            return MergeOutcome.Inserted;
        }

        if (current.Value == u.Value && current.Quality == u.Quality)
        {
            return MergeOutcome.Unchanged;
        }

        int revisions = 0;
        foreach (CurveRevision h in history)
        {
            if (h.Slot != u.Slot)
            {
                continue;
            }

            revisions++;
            if (h.Value == u.Value && h.Quality == u.Quality)
            {
                return MergeOutcome.Unchanged;
            }
        }

        int incomingRank = MeterChannels.Rank(u.Quality);
        int currentRank = MeterChannels.Rank(current.Quality);
        MergeOutcome wanted;
        if (incomingRank > currentRank)
        {
            wanted = MergeOutcome.Replaced;
        }
        else if (incomingRank < currentRank)
        {
            return MergeOutcome.KeptExisting;
        }
        else
        {
            wanted = u.Quality is ReadingQuality.Estimated or ReadingQuality.ManuallyEdited
                ? MergeOutcome.Replaced
                : MergeOutcome.ConflictRejected;
        }

        if (wanted == MergeOutcome.Replaced && (revisions >= MaxRevisionsPerSlot || current.Version == ushort.MaxValue))
        {
            return MergeOutcome.RevisionLimitReached;
        }

        return wanted;
    }

    /// <summary>Sum of all present values (actual and estimated), channel unit.</summary>
    public decimal Total()
    {
        decimal sum = 0m;
        foreach (CurveSlot s in _slots)
        {
            if (s.HasValue)
            {
                sum += s.Value;
            }
        }

        return sum;
    }

    /// <summary>Number of slots holding no value (nothing delivered and nothing estimated): a gap.</summary>
    public int EmptyCount()
    {
        int n = 0;
        foreach (CurveSlot s in _slots)
        {
            if (!s.HasValue)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Number of slots holding an actual (non-estimated) value.</summary>
    public int ActualCount()
    {
        int n = 0;
        foreach (CurveSlot s in _slots)
        {
            if (s.HasValue && MeterChannels.IsActual(s.Quality))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Encodes the curve into the packed binary column (format v1).</summary>
    public byte[] Encode()
    {
        int max = MaxEncodedLength();
        Span<byte> buffer = max <= 8192 ? stackalloc byte[max] : new byte[max];
        int written = EncodeInto(buffer);
        return buffer[..written].ToArray();
    }

    /// <summary>Encodes into <paramref name="destination"/>; false (nothing written) when it is too small.</summary>
    public bool TryEncode(Span<byte> destination, out int written)
    {
        int max = MaxEncodedLength();
        if (destination.Length >= max)
        {
            written = EncodeInto(destination);
            return true;
        }

        Span<byte> buffer = max <= 8192 ? stackalloc byte[max] : new byte[max];
        int n = EncodeInto(buffer);
        if (n > destination.Length)
        {
            written = 0;
            return false;
        }

        buffer[..n].CopyTo(destination);
        written = n;
        return true;
    }

    private int MaxEncodedLength() => 3 + ((_slots.Length + 7) / 8) + ((_slots.Length + _history.Length) * 25) + 5;

    private int EncodeInto(Span<byte> d)
    {
        int p = 0;
        d[p++] = Magic;
        d[p++] = FormatVersion;
        d[p++] = (byte)IntervalMinutes;
        int bitmapLength = (_slots.Length + 7) / 8;
        Span<byte> bitmap = d.Slice(p, bitmapLength);
        bitmap.Clear();
        p += bitmapLength;
        for (int i = 0; i < _slots.Length; i++)
        {
            CurveSlot s = _slots[i];
            if (!s.HasValue)
            {
                continue;
            }

            bitmap[i >> 3] |= (byte)(1 << (i & 7));
            p = WriteEntry(d, p, s.Quality, s.Method, s.Failed, s.Version, s.Value);
        }

        p = WriteVarint(d, p, (ulong)_history.Length);
        foreach (CurveRevision h in _history)
        {
            d[p++] = (byte)h.Slot;
            p = WriteEntry(d, p, h.Quality, h.Method, h.Failed, h.Version, h.Value);
        }

        return p;
    }

    private static int WriteEntry(Span<byte> d, int p, ReadingQuality quality, EstimationMethod method, VeeRules failed, ushort version, decimal value)
    {
        d[p++] = (byte)((int)quality | ((int)method << 2) | (failed != VeeRules.None ? 1 << 4 : 0));
        p = WriteVarint(d, p, version);
        long ticks = (long)(value * ValueScale);
        p = WriteVarint(d, p, (ulong)((ticks << 1) ^ (ticks >> 63)));
        if (failed != VeeRules.None)
        {
            p = WriteVarint(d, p, (ushort)failed);
        }

        return p;
    }

    private static int WriteVarint(Span<byte> d, int p, ulong v)
    {
        while (v >= 0x80)
        {
            d[p++] = (byte)(v | 0x80);
            v >>= 7;
        }

        d[p++] = (byte)v;
        return p;
    }

    /// <summary>
    /// Decodes a packed curve; the identity (meter, channel, day) comes from the entity keys.
    /// Never throws: corrupt, truncated or unknown-format data yields false.
    /// </summary>
    public static bool TryDecode(MeterId meter, MeterChannel channel, DateOnly day, ReadOnlySpan<byte> data, out DayCurve? curve)
    {
        curve = null;
        if (data.Length < 3 || data.Length > MaxEncodedBytes || data[0] != Magic || data[1] != FormatVersion
            || !MeterChannels.IsSupportedInterval(data[2]))
        {
            return false;
        }

        int interval = data[2];
        int slotCount = 1440 / interval;
        int bitmapLength = (slotCount + 7) / 8;
        if (data.Length < 3 + bitmapLength)
        {
            return false;
        }

        ReadOnlySpan<byte> bitmap = data.Slice(3, bitmapLength);
        int p = 3 + bitmapLength;
        var slots = new CurveSlot[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            if ((bitmap[i >> 3] & (1 << (i & 7))) == 0)
            {
                continue;
            }

            if (!TryReadEntry(data, ref p, out ReadingQuality q, out EstimationMethod m, out VeeRules f, out ushort v, out decimal value))
            {
                return false;
            }

            slots[i] = new CurveSlot(true, value, q, v, f, m);
        }

        // Padding bits beyond the last slot must be zero so each curve has exactly one encoding.
        for (int i = slotCount; i < bitmapLength * 8; i++)
        {
            if ((bitmap[i >> 3] & (1 << (i & 7))) != 0)
            {
                return false;
            }
        }

        if (!TryReadVarint(data, ref p, out ulong count) || count > (ulong)(slotCount * MaxRevisionsPerSlot))
        {
            return false;
        }

        var history = new CurveRevision[(int)count];
        for (int k = 0; k < history.Length; k++)
        {
            if (p >= data.Length)
            {
                return false;
            }

            int slot = data[p++];
            if (slot >= slotCount
                || !TryReadEntry(data, ref p, out ReadingQuality q, out EstimationMethod m, out VeeRules f, out ushort v, out decimal value))
            {
                return false;
            }

            history[k] = new CurveRevision(slot, v, value, q, f, m);
        }

        if (p != data.Length)
        {
            return false;
        }

        curve = new DayCurve(meter, channel, day, interval, slots, history);
        return true;
    }

    private static bool TryReadEntry(ReadOnlySpan<byte> data, ref int p, out ReadingQuality quality, out EstimationMethod method, out VeeRules failed, out ushort version, out decimal value)
    {
        quality = default;
        method = default;
        failed = VeeRules.None;
        version = 0;
        value = 0m;
        if (p >= data.Length)
        {
            return false;
        }

        byte status = data[p++];
        if ((status & 0xE0) != 0)
        {
            return false;
        }

        quality = (ReadingQuality)(status & 3);
        method = (EstimationMethod)((status >> 2) & 3);
        if (!TryReadVarint(data, ref p, out ulong ver) || ver == 0 || ver > ushort.MaxValue
            || !TryReadVarint(data, ref p, out ulong zig))
        {
            return false;
        }

        version = (ushort)ver;
        long ticks = (long)(zig >> 1) ^ -(long)(zig & 1);
        value = ticks / ValueScale;
        if (!MeterChannels.IsStorable(value))
        {
            return false;
        }

        if ((status & 0x10) != 0)
        {
            if (!TryReadVarint(data, ref p, out ulong rules) || rules == 0 || rules > ushort.MaxValue)
            {
                return false;
            }

            failed = (VeeRules)(ushort)rules;
        }

        return true;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int p, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (p >= data.Length)
            {
                return false;
            }

            byte b = data[p++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Equal when identity, slots and history are equal.</summary>
    public bool Equals(DayCurve? other) =>
        other is not null && Meter == other.Meter && Channel == other.Channel && Day == other.Day
        && IntervalMinutes == other.IntervalMinutes && _slots.AsSpan().SequenceEqual(other._slots)
        && _history.AsSpan().SequenceEqual(other._history);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DayCurve);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Meter, Channel, Day, IntervalMinutes, ActualCount(), _history.Length);
}
