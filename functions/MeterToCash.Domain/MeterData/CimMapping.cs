using System.Globalization;

namespace MeterToCash.Domain.MeterData;

/// <summary>The IEC 61968-9 item → reading mapping shared by the XML and JSON parsers, so both behave identically.</summary>
internal static class CimMapping
{
    /// <summary>
    /// An IntervalReading: timePeriod start (and optional end) when present, otherwise timeStamp, which in
    /// IEC 61968-9 marks the END of the interval.
    /// </summary>
    public static RejectReason? Interval(
        BatchBuilder builder,
        Common.MeterId? meter,
        ReadingTypeInfo? readingType,
        string? periodStart,
        string? periodEnd,
        string? timeStamp,
        string? valueText,
        decimal? numericValue,
        IReadOnlyList<string?> qualities)
    {
        if (meter is not { } meterId)
        {
            return RejectReason.InvalidMeterId;
        }

        if (readingType is not { IsInterval: true } type)
        {
            return RejectReason.UnknownReadingType;
        }

        DateTimeOffset start;
        if (periodStart is not null)
        {
            if (!BatchBuilder.TryTimestamp(periodStart, out start))
            {
                return RejectReason.InvalidTimestamp;
            }

            if (periodEnd is not null)
            {
                if (!BatchBuilder.TryTimestamp(periodEnd, out DateTimeOffset end))
                {
                    return RejectReason.InvalidTimestamp;
                }

                if (end - start != TimeSpan.FromMinutes(type.IntervalMinutes))
                {
                    return RejectReason.InvalidIntervalLength;
                }
            }
        }
        else if (timeStamp is not null)
        {
            if (!BatchBuilder.TryTimestamp(timeStamp, out DateTimeOffset end) || end.Year < 2000)
            {
                return RejectReason.InvalidTimestamp;
            }

            start = end.AddMinutes(-type.IntervalMinutes);
        }
        else
        {
            return RejectReason.MissingField;
        }

        if (!TryQuality(qualities, out ReadingQuality quality))
        {
            return RejectReason.InvalidQuality;
        }

        if (valueText is null && numericValue is null)
        {
            return RejectReason.MissingField;
        }

        return builder.AddInterval(meterId, type, start, valueText, numericValue, quality);
    }

    /// <summary>A register Reading: timeStamp is the read time; meterDigits is a project extension.</summary>
    public static RejectReason? Register(
        BatchBuilder builder,
        Common.MeterId? meter,
        ReadingTypeInfo? readingType,
        string? timeStamp,
        string? valueText,
        decimal? numericValue,
        IReadOnlyList<string?> qualities,
        string? meterDigits)
    {
        if (meter is not { } meterId)
        {
            return RejectReason.InvalidMeterId;
        }

        if (readingType is not { IsInterval: false } type)
        {
            return RejectReason.UnknownReadingType;
        }

        if (timeStamp is null)
        {
            return RejectReason.MissingField;
        }

        if (!BatchBuilder.TryTimestamp(timeStamp, out DateTimeOffset readAt))
        {
            return RejectReason.InvalidTimestamp;
        }

        if (!TryQuality(qualities, out ReadingQuality quality))
        {
            return RejectReason.InvalidQuality;
        }

        int? digits = null;
        if (meterDigits is not null)
        {
            if (!int.TryParse(meterDigits.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d is < 1 or > 12)
            {
                return RejectReason.InvalidMeterDigits;
            }

            digits = d;
        }

        if (valueText is null && numericValue is null)
        {
            return RejectReason.MissingField;
        }

        decimal value;
        RejectReason? bad = numericValue is { } n ? BatchBuilder.Scale(n, type.Scale, out value) : BatchBuilder.TryValue(valueText, type.Scale, out value);
        if (bad is not null)
        {
            return bad;
        }

        builder.Registers.Add(new RegisterReading(meterId, type.Channel, type.Band, readAt, value, type.Unit, quality, digits));
        return null;
    }

    /// <summary>An EndDeviceEvent: EndDeviceEventType ref (or name) and createdDateTime.</summary>
    public static RejectReason? Event(BatchBuilder builder, Common.MeterId? meter, string? eventType, string? createdDateTime)
    {
        if (meter is not { } meterId)
        {
            return RejectReason.InvalidMeterId;
        }

        if (!EventCodes.TryParse(eventType, out MeterEventKind kind))
        {
            return RejectReason.UnknownEventType;
        }

        if (createdDateTime is null)
        {
            return RejectReason.MissingField;
        }

        if (!BatchBuilder.TryTimestamp(createdDateTime, out DateTimeOffset at))
        {
            return RejectReason.InvalidTimestamp;
        }

        builder.Events.Add(new MeterEvent(meterId, kind, at, eventType!.Trim()));
        return null;
    }

    /// <summary>The meter number, or null when invalid (parsed once per MeterReading).</summary>
    public static Common.MeterId? Meter(string? text) => Common.MeterId.TryParse(text, out Common.MeterId id) ? id : null;

    /// <summary>The reading type, or null when unknown (parsed once per block).</summary>
    public static ReadingTypeInfo? Type(string? code) =>
        code is not null && ReadingTypeCodes.TryParse(code.AsSpan().Trim(), out ReadingTypeInfo info) ? info : null;

    /// <summary>No qualities: valid.</summary>
    public static readonly string?[] NoQualities = [];

    public static bool TryQuality(IReadOnlyList<string?> codes, out ReadingQuality quality)
    {
        quality = ReadingQuality.Valid;
        foreach (string? code in codes)
        {
            if (code is null || !QualityCodes.TryParse(code, out ReadingQuality q))
            {
                return false;
            }

            quality = QualityCodes.Combine(quality, q);
        }

        return true;
    }
}
