using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Load;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Load;

/// <summary>
/// The load-monitoring and line-loss query API (JSON, function key). Load rates are computed from the stored curves
/// when asked (the customers' 15-minute active import; the master meter is not counted); an area's line loss too;
/// the all-areas ranking reads the stored results of the nightly (or on-demand) evaluation.
/// </summary>
public sealed class LoadFunctions(LoadReader reader, LoadMonitor monitor, LineLossStore results, IOptions<LoadOptions> options, TimeProvider time)
{
    /// <summary>Most days one line-loss request answers (from and to inclusive).</summary>
    public const int MaxLineLossDays = 31;

    [Function(nameof(GetAreaLoadRate))]
    public async Task<IActionResult> GetAreaLoadRate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "areas/{areaCode}/load-rate")] HttpRequest request,
        string areaCode)
    {
        List<ValidationError> errors = [];
        QueryRules.AreaCode(areaCode, errors);
        DateOnly day = QueryRules.Day(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await reader.AreaAsync(areaCode, ct) is not { } area)
        {
            return Problems.NotFound($"No transformer area '{areaCode}' in the network archive.");
        }

        if (area.RatedKva is not { } kva)
        {
            return Problems.Validation("areaCode", "no-rated-capacity", $"Area '{areaCode}' has no rated kVA in the archive; a load rate needs one.", StatusCodes.Status422UnprocessableEntity);
        }

        LoadRateSettings settings = options.Value.LoadRate;
        AreaDayReading reading;
        try
        {
            reading = await reader.ReadAsync(area, day, ct);
        }
        catch (MeterData.UnreadableCurveException e)
        {
            return Problems.Create(StatusCodes.Status500InternalServerError, "Stored curve unreadable", e.Message, "stored-curve-unreadable");
        }

        decimal capacity = LoadRateCalculator.CapacityKw(kva, settings);
        LoadRatePoint[] points = LoadRateCalculator.Compute(reading.CustomerKwh, 15, capacity);
        IReadOnlyList<LoadEpisode> episodes = LoadEpisodeDetector.Find([.. points.Select(p => p.Rate)], settings);
        DateTimeOffset origin = ChinaTime.DayStart(day).ToOffset(ChinaTime.Offset);
        return new OkObjectResult(new AreaLoadRateDto(
            area.Code, area.ParentCode, Text(day), kva, capacity, "low-voltage-customers", Thresholds(settings),
            points.Count(p => p.Rate >= settings.HeavyShare), points.Count(p => p.Rate >= settings.OverloadShare), Peak(points, origin),
            [.. episodes.Select(e => new LoadEpisodeDto(e.Level.ToString(), origin.AddMinutes(15 * e.StartSlot), origin.AddMinutes(15 * (e.ConfirmedSlot + 1)), e.EndSlot is { } end ? origin.AddMinutes(15 * end) : null))],
            [.. points.Select(p => new LoadRatePointDto(p.Slot, origin.AddMinutes(15 * p.Slot), p.Kwh, p.Kw, p.Rate, reading.CustomerMetersPerSlot[p.Slot]))]));
    }

    [Function(nameof(GetFeederLoad))]
    public async Task<IActionResult> GetFeederLoad(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "feeders/{feederCode}/load")] HttpRequest request,
        string feederCode)
    {
        List<ValidationError> errors = [];
        if (!ArchiveValidator.IsKey(feederCode, ArchiveValidator.MaxCodeLength))
        {
            errors.Add(new("feederCode", "code-format", "Feeder codes are 1–32 letters, digits, '-' or '_'."));
        }

        DateOnly day = QueryRules.Day(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        IReadOnlyList<NetworkNode> network = await reader.NetworkAsync(ct);
        if (!network.Any(n => n.Level == NetworkLevel.Feeder && n.Code == feederCode))
        {
            return Problems.NotFound($"No feeder '{feederCode}' in the network archive.");
        }

        LoadRateSettings settings = options.Value.LoadRate;
        NetworkNode[] areas = [.. network.Where(n => n.Level == NetworkLevel.TransformerArea && n.ParentCode == feederCode && n.RatedKva is > 0).OrderBy(n => n.Code, StringComparer.Ordinal)];
        AreaDayReading[] readings;
        try
        {
            readings = await Task.WhenAll(areas.Select(a => reader.ReadAsync(a, day, ct)));
        }
        catch (MeterData.UnreadableCurveException e)
        {
            return Problems.Create(StatusCodes.Status500InternalServerError, "Stored curve unreadable", e.Message, "stored-curve-unreadable");
        }

        var sum = new decimal?[AreaDayReading.Slots];
        var reporting = new int[AreaDayReading.Slots];
        for (int s = 0; s < sum.Length; s++)
        {
            foreach (AreaDayReading r in readings)
            {
                if (r.CustomerKwh[s] is { } v)
                {
                    sum[s] = (sum[s] ?? 0) + v;
                    reporting[s]++;
                }
            }
        }

        decimal kva = areas.Sum(a => a.RatedKva!.Value);
        DateTimeOffset origin = ChinaTime.DayStart(day).ToOffset(ChinaTime.Offset);
        List<FeederAreaDto> parts = [];
        for (int i = 0; i < areas.Length; i++)
        {
            decimal capacity = LoadRateCalculator.CapacityKw(areas[i].RatedKva!.Value, settings);
            parts.Add(new FeederAreaDto(areas[i].Code, areas[i].RatedKva!.Value, capacity, LoadRateCalculator.Compute(readings[i].CustomerKwh, 15, capacity).Max(p => p.Rate)));
        }

        if (kva == 0)
        {
            return new OkObjectResult(new FeederLoadDto(feederCode, Text(day), 0, 0, Thresholds(settings), null, parts, []));
        }

        decimal feederCapacity = LoadRateCalculator.CapacityKw(kva, settings);
        LoadRatePoint[] points = LoadRateCalculator.Compute(sum, 15, feederCapacity);
        return new OkObjectResult(new FeederLoadDto(feederCode, Text(day), kva, feederCapacity, Thresholds(settings), Peak(points, origin), parts,
            [.. points.Select(p => new LoadRatePointDto(p.Slot, origin.AddMinutes(15 * p.Slot), p.Kwh, p.Kw, p.Rate, reporting[p.Slot]))]));
    }

    [Function(nameof(GetAreaLineLoss))]
    public async Task<IActionResult> GetAreaLineLoss(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "areas/{areaCode}/line-loss")] HttpRequest request,
        string areaCode)
    {
        List<ValidationError> errors = [];
        QueryRules.AreaCode(areaCode, errors);
        (DateOnly from, DateOnly to) = QueryRules.DayRange(request, MaxLineLossDays, errors);
        if (errors.Count == 0 && to > ChinaTime.LocalDay(time.GetUtcNow()))
        {
            errors.Add(new("to", "not-future", "'to' must not be after today (China local)."));
        }

        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await reader.AreaAsync(areaCode, ct) is not { } area)
        {
            return Problems.NotFound($"No transformer area '{areaCode}' in the network archive.");
        }

        LineLossSettings settings = options.Value.LineLoss;
        IReadOnlyList<LineLossDay> days;
        Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>> meterKwh;
        try
        {
            (days, meterKwh) = await monitor.ComputeAsync(area, from, to, ct);
        }
        catch (MeterData.UnreadableCurveException e)
        {
            return Problems.Create(StatusCodes.Status500InternalServerError, "Stored curve unreadable", e.Message, "stored-curve-unreadable");
        }

        TheftSuspicion? suspicion = TheftSuspicionRule.Evaluate(days, meterKwh, settings);
        return new OkObjectResult(new AreaLineLossDto(area.Code, area.MasterMeter?.MeterNo.Value, Text(from), Text(to), Settings(settings), [.. days.Select(Day)],
            suspicion is null ? null : new TheftSuspicionDto(Text(suspicion.FirstHighDay), Text(suspicion.ConfirmedDay), [.. suspicion.HighDays.Select(Text)], [.. suspicion.BaselineDays.Select(Text)],
                suspicion.BaselineLossRate, suspicion.RecentLossRate, [.. suspicion.Suspects.Select(m => new SuspectMeterDto(m.Meter, m.BaselineKwhPerDay, m.RecentKwhPerDay, m.DropShare))])));
    }

    [Function(nameof(GetLineLossRanking))]
    public async Task<IActionResult> GetLineLossRanking(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "line-loss/ranking")] HttpRequest request)
    {
        List<ValidationError> errors = [];
        DateOnly day = QueryRules.Day(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        int areasInNetwork = (await reader.NetworkAsync(ct)).Count(n => n.Level == NetworkLevel.TransformerArea);
        IReadOnlyList<StoredLineLoss> stored = await results.DayAsync(day, ct);
        // Highest loss first; negative ones (an error to fix) after the positive ones; not computable last; then by area.
        List<StoredLineLoss> ordered = [.. stored
            .OrderBy(r => r.Day.Computable ? 0 : 1)
            .ThenByDescending(r => r.Day.LossRate ?? decimal.MinValue)
            .ThenBy(r => r.Area, StringComparer.Ordinal)];
        return new OkObjectResult(new LineLossRankingDto(Text(day), areasInNetwork, stored.Count,
            [.. ordered.Select((r, i) => new LineLossRankDto(i + 1, r.Area, Day(r.Day), r.EvaluatedAt))]));
    }

    static LineLossDayDto Day(LineLossDay d) => new(Text(d.Day), d.Class.ToString(), d.Reason, d.MasterKwh, d.CustomersKwh, d.LossKwh, d.LossRate, d.MasterCompleteness, d.CustomerCompleteness, d.CompletenessThreshold);

    static LineLossSettingsDto Settings(LineLossSettings s) => new(s.NormalMaxShare, s.CompletenessThreshold, s.PersistDays, s.BaselineDays, s.DropShare, s.MinimumBaselineKwh);

    static LoadThresholdsDto Thresholds(LoadRateSettings s) => new(s.PowerFactor, s.HeavyShare, s.OverloadShare, s.HeavyIntervals);

    static LoadPeakDto? Peak(LoadRatePoint[] points, DateTimeOffset origin) =>
        points.Where(p => p.Rate is not null).OrderByDescending(p => p.Rate).ThenBy(p => p.Slot).Select(p => new LoadPeakDto(p.Slot, origin.AddMinutes(15 * p.Slot), p.Kw!.Value, p.Rate!.Value)).FirstOrDefault();

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
