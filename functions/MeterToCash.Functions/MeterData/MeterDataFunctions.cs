using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.MeterData;

/// <summary>The meter-data query API: a meter's day curve, an area's load, a meter's month-to-date per band.</summary>
public sealed class MeterDataFunctions(MeterDirectory directory, CurveStore curves, MonthToDateStore monthToDate, ArchiveStore archive)
{
    [Function(nameof(GetMeterCurve))]
    public async Task<IActionResult> GetMeterCurve(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meters/{meterNo}/curve")] HttpRequest request,
        string meterNo)
    {
        List<ValidationError> errors = [];
        MeterId meter = Meter(meterNo, errors);
        DateOnly day = QueryRules.Day(request, errors);
        MeterChannel channel = Channel(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await directory.ResolveAsync(meter.Value, ct) is not { } location)
        {
            return Problems.NotFound($"No meter '{meterNo}' in the archive.");
        }

        StoredCurve stored;
        try
        {
            stored = await curves.GetAsync(location.AreaCode, location.Entry.Meter, channel, day, location.Entry.IntervalMinutes, ct);
        }
        catch (UnreadableCurveException e)
        {
            return Problems.Create(StatusCodes.Status500InternalServerError, "Stored curve unreadable", e.Message, "stored-curve-unreadable");
        }

        DayCurve curve = stored.Curve;
        ReadOnlySpan<CurveSlot> slots = curve.Slots;
        List<CurvePointDto> points = new(slots.Length);
        for (int s = 0; s < slots.Length; s++)
        {
            CurveSlot slot = slots[s];
            int revisions = curve.History.Count(h => h.Slot == s);
            points.Add(slot.HasValue
                ? new CurvePointDto(s, curve.SlotStart(s).ToOffset(ChinaTime.Offset), slot.Value, slot.Quality.ToString(), slot.Version,
                    VeeRuleCatalog.All.Where(r => (slot.Failed & r) != 0).Select(r => r.ToString()).ToList(),
                    slot.Quality == ReadingQuality.Estimated ? slot.Method.ToString() : null, revisions)
                : new CurvePointDto(s, curve.SlotStart(s).ToOffset(ChinaTime.Offset), null, null, 0, [], null, revisions));
        }

        return new OkObjectResult(new CurveDto(location.Entry.Meter.Value, location.AreaCode, ReadingTypeCodes.ChannelCode(channel), Text(day),
            curve.IntervalMinutes, stored.ETag?.ToString(), stored.Revision, curve.Total(), points));
    }

    [Function(nameof(GetAreaLoad))]
    public async Task<IActionResult> GetAreaLoad(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "areas/{areaCode}/load")] HttpRequest request,
        string areaCode)
    {
        List<ValidationError> errors = [];
        QueryRules.AreaCode(areaCode, errors);
        DateOnly day = QueryRules.Day(request, errors);
        MeterChannel channel = Channel(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindNodeAsync(NetworkLevel.TransformerArea, areaCode, ct) is not { } area)
        {
            return Problems.NotFound($"No transformer area '{areaCode}' in the network archive.");
        }

        IReadOnlyList<StoredCurve> stored;
        try
        {
            stored = await curves.ListAreaDayAsync(areaCode, day, ct);
        }
        catch (UnreadableCurveException e)
        {
            return Problems.Create(StatusCodes.Status500InternalServerError, "Stored curve unreadable", e.Message, "stored-curve-unreadable");
        }

        // The 15-minute grid; curves of other lengths are counted but not spread over it (that would invent a profile).
        // The customers' load: the area's master meter (stored in the same partition) measures the same energy again.
        string? master = area.MasterMeter?.MeterNo.Value;
        stored = [.. stored.Where(s => !string.Equals(s.Curve.Meter.Value, master, StringComparison.OrdinalIgnoreCase))];
        List<DayCurve> quarterHourly = stored.Select(s => s.Curve).Where(c => c.Channel == channel && c.IntervalMinutes == 15).ToList();
        int other = stored.Count(s => s.Curve.Channel == channel && s.Curve.IntervalMinutes != 15);
        DayCurve grid = DayCurve.Empty(new MeterId(areaCode), channel, day, 15);
        var values = new decimal[grid.SlotCount];
        var meters = new int[grid.SlotCount];
        foreach (DayCurve c in quarterHourly)
        {
            ReadOnlySpan<CurveSlot> slots = c.Slots;
            for (int s = 0; s < slots.Length; s++)
            {
                if (slots[s].HasValue)
                {
                    values[s] += slots[s].Value;
                    meters[s]++;
                }
            }
        }

        List<AreaLoadPointDto> points = Enumerable.Range(0, grid.SlotCount)
            .Select(s => new AreaLoadPointDto(s, grid.SlotStart(s).ToOffset(ChinaTime.Offset), values[s], meters[s])).ToList();
        return new OkObjectResult(new AreaLoadDto(areaCode, Text(day), ReadingTypeCodes.ChannelCode(channel), 15, quarterHourly.Count, other, values.Sum(), points));
    }

    [Function(nameof(GetMonthToDate))]
    public async Task<IActionResult> GetMonthToDate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meters/{meterNo}/month-to-date")] HttpRequest request,
        string meterNo)
    {
        List<ValidationError> errors = [];
        MeterId meter = Meter(meterNo, errors);
        MeterChannel channel = Channel(request, errors);
        string? monthText = request.Query["month"].FirstOrDefault();
        if (!DateOnly.TryParseExact(monthText + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly month) || month.Year is < 2000 or > 2099)
        {
            errors.Add(new("month", "month-format", "'month' is required as yyyy-MM (China local), 2000–2099."));
        }

        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await directory.ResolveAsync(meter.Value, ct) is not { } location)
        {
            return Problems.NotFound($"No meter '{meterNo}' in the archive.");
        }

        StoredMonthToDate? stored = await monthToDate.GetAsync(location.AreaCode, location.Entry.Meter, channel, month.Year, month.Month, ct);
        TouEnergy energy = stored?.Totals.Energy ?? default, estimated = stored?.Totals.EstimatedEnergy ?? default;
        return new OkObjectResult(new MonthToDateDto(location.Entry.Meter.Value, ReadingTypeCodes.ChannelCode(channel), month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            MeterChannels.UnitOf(channel) == EnergyUnit.Kwh ? "kWh" : "kvarh", TouBandings.Description, stored?.Days.Count ?? 0, Bands(energy), Bands(estimated),
            stored?.Days.Count(d => d.Provisional) ?? 0, [.. (stored?.Days ?? []).Select(d => d.Banding).Distinct().Order(StringComparer.Ordinal)]));
    }

    static MeterId Meter(string meterNo, List<ValidationError> errors)
    {
        if (MeterId.TryParse(meterNo, out MeterId meter))
        {
            return meter;
        }

        errors.Add(new("meterNo", "meter-number-format", "Meter numbers are 1–32 letters, digits or '-'."));
        return default;
    }

    static MeterChannel Channel(HttpRequest request, List<ValidationError> errors)
    {
        string text = request.Query["channel"].FirstOrDefault() ?? "AI";
        if (ReadingTypeCodes.TryParseChannelCode(text, out MeterChannel channel))
        {
            return channel;
        }

        errors.Add(new("channel", "channel-code", "'channel' is AI, AE, RI or RE."));
        return default;
    }

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static BandsDto Bands(TouEnergy e) => new(e.CriticalPeak, e.Peak, e.Flat, e.Valley, e.Total);
}
