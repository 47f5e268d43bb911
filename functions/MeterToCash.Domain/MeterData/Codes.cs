using System.Globalization;

namespace MeterToCash.Domain.MeterData;

/// <summary>What an IEC 61968-9 ReadingType code (or a CSV channel code) means for this domain.</summary>
/// <param name="IsInterval">True for interval (delta) data, false for cumulative registers.</param>
/// <param name="Channel">Channel, from flow direction and unit.</param>
/// <param name="IntervalMinutes">Interval length for interval data; 0 for registers.</param>
/// <param name="Band">Register band from the TOU field; <see cref="RegisterBand.Total"/> for interval data.</param>
/// <param name="Unit">Unit after scaling.</param>
/// <param name="Scale">Factor converting the delivered number to <paramref name="Unit"/> (0.001 for Wh, 1 for kWh, 1000 for MWh).</param>
public readonly record struct ReadingTypeInfo(bool IsInterval, MeterChannel Channel, int IntervalMinutes, RegisterBand Band, EnergyUnit Unit, decimal Scale);

/// <summary>
/// IEC 61968-9 ReadingType codes: 18 dot-separated integers
/// (macroPeriod.aggregate.measuringPeriod.accumulation.flowDirection.commodity.measurementKind.interharmonic(2).argument(2).
/// TOU.CPP.tier.phases.multiplier.uom.currency). Only electricity energy is accepted: measurementKind 12, uom 72 (Wh) or
/// 73 (VArh), multiplier 0/3/6, flowDirection 1 (forward) or 19 (reverse); accumulation 4 (delta) with measuring period
/// 2/5/7 (15/30/60 min) is interval data, accumulation 1 or 3 with measuring period 0 is a register whose TOU field
/// 0–4 selects total, critical peak, peak, flat, valley.
/// </summary>
public static class ReadingTypeCodes
{
    /// <summary>Parses a code; false for anything malformed or outside the accepted subset.</summary>
    public static bool TryParse(ReadOnlySpan<char> code, out ReadingTypeInfo info)
    {
        info = default;
        Span<int> f = stackalloc int[18];
        int n = 0;
        foreach (Range r in code.Split('.'))
        {
            if (n == 18 || !int.TryParse(code[r], NumberStyles.None, CultureInfo.InvariantCulture, out f[n]))
            {
                return false;
            }

            n++;
        }

        if (n != 18 || f[6] != 12 || f[7] != 0 || f[8] != 0 || f[9] != 0 || f[10] != 0 || f[12] != 0 || f[13] != 0 || f[17] != 0
            || f[5] is not (0 or 1 or 2) || f[1] != 0 || f[0] is not (0 or 11 or 13))
        {
            return false;
        }

        decimal scale;
        switch (f[15])
        {
            case 0: scale = 0.001m; break;
            case 3: scale = 1m; break;
            case 6: scale = 1000m; break;
            default: return false;
        }

        bool reactive;
        switch (f[16])
        {
            case 72: reactive = false; break;
            case 73: reactive = true; break;
            default: return false;
        }

        bool export;
        switch (f[4])
        {
            case 1: export = false; break;
            case 19: export = true; break;
            default: return false;
        }

        MeterChannel channel = (reactive, export) switch
        {
            (false, false) => MeterChannel.ActiveImport,
            (false, true) => MeterChannel.ActiveExport,
            (true, false) => MeterChannel.ReactiveImport,
            _ => MeterChannel.ReactiveExport,
        };
        EnergyUnit unit = reactive ? EnergyUnit.Kvarh : EnergyUnit.Kwh;

        if (f[3] == 4)
        {
            int minutes = f[2] switch { 2 => 15, 5 => 30, 7 => 60, _ => 0 };
            if (minutes == 0 || f[11] != 0)
            {
                return false;
            }

            info = new ReadingTypeInfo(true, channel, minutes, RegisterBand.Total, unit, scale);
            return true;
        }

        if (f[3] is 1 or 3 && f[2] == 0 && f[11] is >= 0 and <= 4)
        {
            info = new ReadingTypeInfo(false, channel, 0, (RegisterBand)f[11], unit, scale);
            return true;
        }

        return false;
    }

    /// <summary>The code of a kWh/kvarh interval channel (inverse of <see cref="TryParse"/>).</summary>
    public static string ForInterval(MeterChannel channel, int minutes)
    {
        int period = minutes switch { 15 => 2, 30 => 5, 60 => 7, _ => throw new ArgumentOutOfRangeException(nameof(minutes)) };
        return Format(period, 4, channel, 0);
    }

    /// <summary>The code of a kWh/kvarh register (inverse of <see cref="TryParse"/>).</summary>
    public static string ForRegister(MeterChannel channel, RegisterBand band) => Format(0, 1, channel, (int)band);

    private static string Format(int period, int accumulation, MeterChannel channel, int tou)
    {
        int flow = channel is MeterChannel.ActiveExport or MeterChannel.ReactiveExport ? 19 : 1;
        int uom = channel is MeterChannel.ReactiveImport or MeterChannel.ReactiveExport ? 73 : 72;
        return string.Create(CultureInfo.InvariantCulture, $"0.0.{period}.{accumulation}.{flow}.1.12.0.0.0.0.{tou}.0.0.0.3.{uom}.0");
    }

    /// <summary>
    /// CSV short channel codes: AI (active import), AE (active export), RI (reactive import), RE (reactive export),
    /// case-insensitive.
    /// </summary>
    public static bool TryParseChannelCode(ReadOnlySpan<char> code, out MeterChannel channel)
    {
        channel = default;
        if (code.Length != 2)
        {
            return false;
        }

        string upper = code.ToString().ToUpperInvariant();
        switch (upper)
        {
            case "AI": channel = MeterChannel.ActiveImport; return true;
            case "AE": channel = MeterChannel.ActiveExport; return true;
            case "RI": channel = MeterChannel.ReactiveImport; return true;
            case "RE": channel = MeterChannel.ReactiveExport; return true;
            default: return false;
        }
    }

    /// <summary>The CSV short code of a channel.</summary>
    public static string ChannelCode(MeterChannel channel) => channel switch
    {
        MeterChannel.ActiveImport => "AI",
        MeterChannel.ActiveExport => "AE",
        MeterChannel.ReactiveImport => "RI",
        _ => "RE",
    };
}

/// <summary>Reading quality codes: IEC 61968-9 "system.category.subcategory" or short names.</summary>
public static class QualityCodes
{
    /// <summary>
    /// Parses a quality. Empty means valid. CIM codes map by category: 0 valid, 7 manually edited, 8 estimated, any
    /// other questionable. Short names (case-insensitive): V/valid, Q/questionable, E/estimated, M/edited.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ReadingQuality quality)
    {
        quality = ReadingQuality.Valid;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return true;
        }

        string lower = text.Length <= 16 ? text.ToString().ToLowerInvariant() : string.Empty;
        switch (lower)
        {
            case "v" or "valid": return true;
            case "q" or "questionable": quality = ReadingQuality.Questionable; return true;
            case "e" or "estimated": quality = ReadingQuality.Estimated; return true;
            case "m" or "edited": quality = ReadingQuality.ManuallyEdited; return true;
        }

        int parts = 0;
        int category = -1;
        foreach (Range r in text.Split('.'))
        {
            if (parts == 3 || !int.TryParse(text[r], NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v > 1000)
            {
                return false;
            }

            if (parts == 1)
            {
                category = v;
            }

            parts++;
        }

        if (parts != 3)
        {
            return false;
        }

        quality = category switch
        {
            0 => ReadingQuality.Valid,
            7 => ReadingQuality.ManuallyEdited,
            8 => ReadingQuality.Estimated,
            _ => ReadingQuality.Questionable,
        };
        return true;
    }

    /// <summary>Combines several qualities of one value: estimated beats edited beats questionable beats valid.</summary>
    public static ReadingQuality Combine(ReadingQuality a, ReadingQuality b)
    {
        static int Precedence(ReadingQuality q) => q switch
        {
            ReadingQuality.Estimated => 3,
            ReadingQuality.ManuallyEdited => 2,
            ReadingQuality.Questionable => 1,
            _ => 0,
        };
        return Precedence(a) >= Precedence(b) ? a : b;
    }

    /// <summary>The CIM code written for a quality (1.0.0 valid, 1.5.0 questionable, 3.8.0 estimated, 3.7.0 edited).</summary>
    public static string ToCimCode(ReadingQuality quality) => quality switch
    {
        ReadingQuality.Valid => "1.0.0",
        ReadingQuality.Questionable => "1.5.0",
        ReadingQuality.Estimated => "3.8.0",
        _ => "3.7.0",
    };
}

/// <summary>
/// End-device event codes. Accepts the event kind's name (case-insensitive, e.g. "PowerOff") or a CIM
/// EndDeviceEventType code from the project mapping in docs/meter-data.md. Only 3.12.0.257 (tamper) is taken from
/// the shared data standards; the others are project conventions to be confirmed per head-end profile.
/// </summary>
public static class EventCodes
{
    private static readonly Dictionary<string, MeterEventKind> Cim = new(StringComparer.Ordinal)
    {
        ["3.26.0.85"] = MeterEventKind.PowerOff,
        ["3.26.0.216"] = MeterEventKind.PowerRestored,
        ["3.12.0.257"] = MeterEventKind.CoverOpen,
        ["3.12.29.257"] = MeterEventKind.TerminalCoverOpen,
        ["3.26.38.150"] = MeterEventKind.VoltageSag,
        ["3.26.38.93"] = MeterEventKind.VoltageSwell,
        ["3.26.41.150"] = MeterEventKind.PhaseLoss,
        ["3.26.9.214"] = MeterEventKind.ReverseEnergy,
        ["3.36.114.79"] = MeterEventKind.ClockError,
    };

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>All accepted CIM codes and their meaning.</summary>
    public static IReadOnlyDictionary<string, MeterEventKind> CimCodes => Cim;

    /// <summary>Parses an event code or name.</summary>
    public static bool TryParse(string? text, out MeterEventKind kind)
    {
        kind = default;
        string trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > 32)
        {
            return false;
        }

        if (Cim.TryGetValue(trimmed, out kind))
        {
            return true;
        }

        return trimmed.AsSpan().ContainsAnyExcept(AsciiLetters) is false && Enum.TryParse(trimmed, true, out kind) && Enum.IsDefined(kind);
    }

    /// <summary>The CIM code written for an event kind.</summary>
    public static string ToCimCode(MeterEventKind kind) => Cim.First(p => p.Value == kind).Key;
}
