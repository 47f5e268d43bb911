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
        string? meter,
        string? readingType,
        string? periodStart,
        string? periodEnd,
        string? timeStamp,
        string? valueText,
        decimal? numericValue,
        IReadOnlyList<string?> qualities)
    {
        if (!Common.MeterId.TryParse(meter, out _))
        {
            return RejectReason.InvalidMeterId;
        }

        if (readingType is null || !ReadingTypeCodes.TryParse(readingType.Trim(), out ReadingTypeInfo type) || !type.IsInterval)
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

        return builder.AddInterval(meter, type, start, valueText, numericValue, quality);
    }

    /// <summary>A register Reading: timeStamp is the read time; meterDigits is a project extension.</summary>
    public static RejectReason? Register(
        BatchBuilder builder,
        string? meter,
        string? readingType,
        string? timeStamp,
        string? valueText,
        decimal? numericValue,
        IReadOnlyList<string?> qualities,
        string? meterDigits)
    {
        if (!Common.MeterId.TryParse(meter, out Common.MeterId meterId))
        {
            return RejectReason.InvalidMeterId;
        }

        if (readingType is null || !ReadingTypeCodes.TryParse(readingType.Trim(), out ReadingTypeInfo type) || type.IsInterval)
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
    public static RejectReason? Event(BatchBuilder builder, string? meter, string? eventType, string? createdDateTime)
    {
        if (!Common.MeterId.TryParse(meter, out Common.MeterId meterId))
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

    private static bool TryQuality(IReadOnlyList<string?> codes, out ReadingQuality quality)
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
