using System.Globalization;
using System.Text;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.MeterData;

/// <summary>Machine-readable reason an input item (or the whole document) was not accepted.</summary>
public enum RejectReason
{
    /// <summary>The document is not well-formed CSV/XML/JSON.</summary>
    MalformedDocument = 0,

    /// <summary>Bytes are not valid UTF-8 (or the declared encoding is unsupported).</summary>
    InvalidEncoding = 1,

    /// <summary>The XML document has a DTD; DTDs are prohibited (entity expansion attacks).</summary>
    DtdProhibited = 2,

    /// <summary>Nesting deeper than the limit.</summary>
    TooDeeplyNested = 3,

    /// <summary>Document larger than the limit.</summary>
    TooLarge = 4,

    /// <summary>More items than the limit; the rest of the document was not read.</summary>
    TooManyItems = 5,

    /// <summary>A CSV line has the wrong number of fields, quotes or is over-long.</summary>
    MalformedLine = 6,

    /// <summary>A required field is missing or has the wrong JSON type.</summary>
    MissingField = 7,

    /// <summary>The meter number is not a valid <see cref="MeterId"/>.</summary>
    InvalidMeterId = 8,

    /// <summary>The reading type is unknown, or of the wrong kind for where it appears.</summary>
    UnknownReadingType = 9,

    /// <summary>Timestamp unparsable, without offset, or outside 2000–2099.</summary>
    InvalidTimestamp = 10,

    /// <summary>Interval length not 15/30/60 minutes or inconsistent with the reading type or period.</summary>
    InvalidIntervalLength = 11,

    /// <summary>Interval start not on the China-local-day grid.</summary>
    MisalignedInterval = 12,

    /// <summary>Value is not a decimal number (NaN, Infinity, text, empty).</summary>
    InvalidNumber = 13,

    /// <summary>Value magnitude above 10^12 after scaling.</summary>
    NumberOutOfRange = 14,

    /// <summary>Value has more than 4 decimals after scaling to kWh/kvarh.</summary>
    ExcessPrecision = 15,

    /// <summary>Quality code not understood.</summary>
    InvalidQuality = 16,

    /// <summary>Event type not understood.</summary>
    UnknownEventType = 17,

    /// <summary>Unit not understood, or contradicting the reading type.</summary>
    InvalidUnit = 18,

    /// <summary>Register meter-digit count outside 1–12.</summary>
    InvalidMeterDigits = 19,
}

/// <summary>An input item that was not accepted, for quarantine.</summary>
/// <param name="Position">Where it is: "line 12" (CSV), "MeterReading[2]/IntervalBlocks[1]/IntervalReadings[5]" (XML, 1-based),
/// "$.MeterReading[1].IntervalBlocks[0].IntervalReadings[4]" (JSON, 0-based), or "document".</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">A sanitised excerpt of the offending text (printable ASCII/CJK only, at most 64 characters).</param>
public readonly record struct RejectedItem(string Position, RejectReason Reason, string Detail);

/// <summary>Limits protecting the parsers from hostile input.</summary>
public sealed record ParserLimits
{
    /// <summary>The defaults: 64 MiB, one million items, depth 64.</summary>
    public static readonly ParserLimits Default = new();

    /// <summary>Largest accepted document in bytes (or UTF-16 characters for string input).</summary>
    public int MaxBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most items (accepted plus rejected) read from one document.</summary>
    public int MaxItems { get; init; } = 1_000_000;

    /// <summary>Deepest JSON or XML nesting accepted.</summary>
    public int MaxDepth { get; init; } = 64;
}

/// <summary>Everything read from one delivery: normalised values plus rejected items. Never null lists.</summary>
/// <param name="Intervals">Interval values, unit-scaled, timestamps UTC, in document order.</param>
/// <param name="Registers">Register reads.</param>
/// <param name="Events">Meter events.</param>
/// <param name="Rejected">Items not accepted, in document order.</param>
public sealed record MeterReadingBatch(
    IReadOnlyList<IntervalReading> Intervals,
    IReadOnlyList<RegisterReading> Registers,
    IReadOnlyList<MeterEvent> Events,
    IReadOnlyList<RejectedItem> Rejected);

/// <summary>Shared normalisation so every entry point maps the same text to the same reading.</summary>
internal sealed class BatchBuilder(ParserLimits limits)
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    private static readonly System.Buffers.SearchValues<char> NumberChars = System.Buffers.SearchValues.Create("0123456789+-.eE");

    /// <summary>Interval readings in document order, kept off the large object heap (see <see cref="ChunkedList{T}"/>).</summary>
    public ChunkedList<IntervalReading> Intervals { get; } = new();

    public List<RegisterReading> Registers { get; } = [];

    public List<MeterEvent> Events { get; } = [];

    public List<RejectedItem> Rejected { get; } = [];

    public bool Full { get; private set; }

    private int _items;

    /// <summary>Counts one item; false once the limit is passed (then call <see cref="TooMany"/> with the position).</summary>
    public bool Next()
    {
        if (Full)
        {
            return false;
        }

        if (++_items > limits.MaxItems)
        {
            Full = true;
            return false;
        }

        return true;
    }

    /// <summary>Records the single TooManyItems rejection.</summary>
    public void TooMany(string position)
    {
        if (!_tooManyReported)
        {
            _tooManyReported = true;
            Reject(position, RejectReason.TooManyItems, string.Empty);
        }
    }

    private bool _tooManyReported;

    public MeterReadingBatch Build() => new(Intervals, Registers, Events, Rejected);

    public void Reject(string position, RejectReason reason, string? raw) => Rejected.Add(new RejectedItem(position, reason, Sanitise(raw)));

    public static MeterReadingBatch Failed(RejectReason reason, string position, string? raw) =>
        new([], [], [], [new RejectedItem(position, reason, Sanitise(raw))]);

    internal static string Sanitise(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(Math.Min(raw.Length, 64));
        foreach (char c in raw)
        {
            if (sb.Length == 64)
            {
                break;
            }

            sb.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFD' or '\u200B' or '\u202E' or '\u202D' ? '?' : c);
        }

        return sb.ToString();
    }

    public static bool TryTimestamp(string? text, out DateTimeOffset instant) => TryTimestamp(text.AsSpan(), out instant);

    public static bool TryTimestamp(ReadOnlySpan<char> text, out DateTimeOffset instant)
    {
        instant = default;
        ReadOnlySpan<char> t = text.Trim();
        if (t.Length is < 20 or > 40)
        {
            return false;
        }

        if (!TryFastTimestamp(t, out DateTimeOffset parsed)
            && !DateTimeOffset.TryParseExact(t, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed))
        {
            return false;
        }

        instant = parsed.ToUniversalTime();
        return instant.Year is >= 2000 and < 2100;
    }

    /// <summary>
    /// The two shapes head-ends send almost always, "yyyy-MM-ddTHH:mm:ssZ" and "yyyy-MM-ddTHH:mm:ss±hh:mm", parsed without
    /// the general parser (the hot path of ingestion). Anything else falls back to the exact-format parser.
    /// </summary>
    private static bool TryFastTimestamp(ReadOnlySpan<char> t, out DateTimeOffset value)
    {
        value = default;
        bool zulu = t.Length == 20 && t[19] == 'Z';
        bool offset = t.Length == 25 && t[19] is '+' or '-' && t[22] == ':';
        if (!(zulu || offset) || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':')
        {
            return false;
        }

        if (!Digits(t, 0, 4, out int year) || !Digits(t, 5, 2, out int month) || !Digits(t, 8, 2, out int day)
            || !Digits(t, 11, 2, out int hour) || !Digits(t, 14, 2, out int minute) || !Digits(t, 17, 2, out int second))
        {
            return false;
        }

        int offsetMinutes = 0;
        if (offset)
        {
            if (!Digits(t, 20, 2, out int oh) || !Digits(t, 23, 2, out int om) || om > 59 || (oh * 60) + om > 14 * 60)
            {
                return false;
            }

            offsetMinutes = ((oh * 60) + om) * (t[19] == '-' ? -1 : 1);
        }

        if (year is < 1990 or > 2110 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromMinutes(offsetMinutes));
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> t, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(t[i]))
            {
                return false;
            }

            value = (value * 10) + (t[i] - '0');
        }

        return true;
    }

    public static RejectReason? TryValue(string? text, decimal scale, out decimal value)
    {
        value = 0m;
        string t = text?.Trim() ?? string.Empty;
        if (t.Length is 0 or > 64)
        {
            return RejectReason.InvalidNumber;
        }

        if (!decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal raw))
        {
            // decimal overflows above ~7.9e28; a well-formed but huge number is out of range, anything else is garbage.
            return t.AsSpan().ContainsAnyExcept(NumberChars) is false
                && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && !double.IsNaN(d)
                ? RejectReason.NumberOutOfRange
                : RejectReason.InvalidNumber;
        }

        return Scale(raw, scale, out value);
    }

    public static RejectReason? Scale(decimal raw, decimal scale, out decimal value)
    {
        value = 0m;
        if (Math.Abs(raw) > MeterChannels.MaxMagnitude * 1000m)
        {
            return RejectReason.NumberOutOfRange;
        }

        // Scale 1 (kWh delivered as kWh) is almost every value: multiplying by 1m changes neither value nor scale.
        decimal scaled = scale == 1m ? raw : raw * scale;
        if (scaled > MeterChannels.MaxMagnitude || scaled < -MeterChannels.MaxMagnitude)
        {
            return RejectReason.NumberOutOfRange;
        }

        // Few enough decimals needs no rounding to tell; more may still be trailing zeros (0.10000), which Round keeps.
        if (scaled.Scale > MeterChannels.StoredDecimals && decimal.Round(scaled, MeterChannels.StoredDecimals) != scaled)
        {
            return RejectReason.ExcessPrecision;
        }

        value = scaled;
        return null;
    }

    /// <summary>Validates and adds one interval value; returns the rejection reason or null.</summary>
    public RejectReason? AddInterval(MeterId meter, ReadingTypeInfo type, DateTimeOffset start, string? valueText, decimal? numericValue, ReadingQuality quality)
    {
        if (!MeterChannels.IsSupportedInterval(type.IntervalMinutes))
        {
            return RejectReason.InvalidIntervalLength;
        }

        if (!ChinaTime.IsAligned(start, type.IntervalMinutes))
        {
            return RejectReason.MisalignedInterval;
        }

        decimal value;
        RejectReason? bad = numericValue is { } n ? Scale(n, type.Scale, out value) : TryValue(valueText, type.Scale, out value);
        if (bad is not null)
        {
            return bad;
        }

        Intervals.Add(new IntervalReading(meter, type.Channel, start, type.IntervalMinutes, value, type.Unit, quality));
        return null;
    }
}
