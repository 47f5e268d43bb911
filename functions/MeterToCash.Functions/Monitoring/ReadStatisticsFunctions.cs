using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Monitoring;

/// <summary>Read success rate of an area-day, with the meters that were not read so they can be chased.</summary>
public sealed record ReadSuccessRateDto(string Area, DateOnly Day, int Expected, int Succeeded, decimal Rate, IReadOnlyList<MeterReadDto> NotRead);

/// <summary>A meter that was expected but not read successfully: how many of its slots hold actual values.</summary>
public sealed record MeterReadDto(string Meter, int ActualSlots, int SlotCount);

/// <summary>VEE statistics of an area-day and channel: what was stored, estimated, flagged and rejected, by rule and method.</summary>
public sealed record VeeStatisticsDto(
    string Area,
    DateOnly Day,
    string Channel,
    int Meters,
    int Expected,
    int Stored,
    int Actual,
    int Suspect,
    int Estimated,
    int Edited,
    int Rejected,
    int Missing,
    decimal EstimatedShare,
    decimal SuspectShare,
    decimal RejectedShare,
    IReadOnlyDictionary<string, int> ByRule,
    IReadOnlyDictionary<string, int> EstimatedByMethod);

/// <summary>Read success rate (采集成功率) and VEE statistics per transformer area and day.</summary>
public sealed class ReadStatisticsFunctions(ArchiveStore archive, CurveStore curves, RejectionStore rejections, MeterDirectory directory, RegisterStore registers)
{
    /// <summary>
    /// VEE statistics of an area-day (<c>?day=yyyy-MM-dd&amp;channel=AI</c>): values stored by quality, flagged per soft
    /// rule, estimated per method (None = estimated by the head-end), rejected per rule or reason, and the expected
    /// slots of the in-service meters still missing. Shares are of the values stored or rejected, 4 decimals.
    /// </summary>
    [Function(nameof(GetVeeStatistics))]
    public async Task<IActionResult> GetVeeStatistics(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "areas/{areaCode}/vee-statistics")] HttpRequest request,
        string areaCode)
    {
        List<ValidationError> errors = [];
        QueryRules.AreaCode(areaCode, errors);
        DateOnly day = QueryRules.Day(request, errors);
        MeterChannel? channel = QueryRules.Channel(request, MeterChannel.ActiveImport, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        (HashSet<string> inService, IReadOnlyList<StoredCurve> stored, IActionResult? problem) = await AreaDayAsync(areaCode, day, ct);
        if (problem is not null)
        {
            return problem;
        }

        Dictionary<string, int> expected = new(StringComparer.Ordinal);
        foreach (string meter in inService)
        {
            int interval = (await directory.ResolveAsync(meter, ct))?.Entry.IntervalMinutes ?? 15;
            expected[meter] = 24 * 60 / interval;
        }

        string code = ReadingTypeCodes.ChannelCode(channel!.Value);
        (int rejected, Dictionary<string, int> rules) = await rejections.ReadAsync(areaCode, day, code, ct);
        AreaDayVeeStatistics s = AreaDayVeeStatistics.Compute(stored.Where(c => c.Curve.Channel == channel).Select(c => c.Curve), expected, rejected, rules);
        return new OkObjectResult(new VeeStatisticsDto(areaCode, day, code, inService.Count, s.Expected, s.Stored, s.Actual, s.Suspect, s.Estimated, s.Edited, s.Rejected, s.Missing,
            s.EstimatedShare, s.SuspectShare, s.RejectedShare, s.FailedByRule, s.EstimatedByMethod));
    }

    [Function(nameof(GetReadSuccessRate))]
    public async Task<IActionResult> GetReadSuccessRate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "areas/{areaCode}/read-success-rate")] HttpRequest request,
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
        (HashSet<string> expected, IReadOnlyList<StoredCurve> stored, IActionResult? problem) = await AreaDayAsync(areaCode, day, ct);
        if (problem is not null)
        {
            return problem;
        }

        // A meter is read for the day with its daily frozen value (日冻结: the total active-import register read at the
        // midnight that ends the day, as 采集成功率 is usually defined) or a complete actual active-import curve. The
        // curves of the area-day are one query; registers live in one partition per meter, so they are only looked up for
        // the meters the curves did not already settle.
        Dictionary<string, DayCurve> byMeter = stored
            .Where(s => s.Curve.Channel == MeterChannel.ActiveImport)
            .ToDictionary(s => s.Curve.Meter.Value.ToUpperInvariant(), s => s.Curve, StringComparer.Ordinal);
        DateTimeOffset freeze = ChinaTime.DayStart(day.AddDays(1));
        List<MeterDayReadStatus> statuses = [];
        foreach (string m in expected.Order(StringComparer.Ordinal))
        {
            MeterDayReadStatus status = byMeter.TryGetValue(m, out DayCurve? c)
                ? new MeterDayReadStatus(new MeterId(m), true, false, c.ActualCount(), c.SlotCount)
                : new MeterDayReadStatus(new MeterId(m), true, false, 0, 96);
            if (!status.Succeeded)
            {
                IReadOnlyList<StoredRegister> frozen = await registers.HistoryAsync(new MeterId(m), freeze, freeze.AddTicks(1), ct);
                status = status with { DailyRegisterReceived = frozen.Any(r => r.Reading.Channel == MeterChannel.ActiveImport && r.Reading.Band == RegisterBand.Total) };
            }

            statuses.Add(status);
        }

        ReadSuccessRate rate = ReadSuccessRate.Compute(areaCode, day, statuses);
        return new OkObjectResult(new ReadSuccessRateDto(areaCode, day, rate.Expected, rate.Succeeded, rate.Rate,
            [.. statuses.Where(s => !s.Succeeded).Select(s => new MeterReadDto(s.Meter.Value, s.ActualSlots, s.SlotCount))]));
    }

    /// <summary>The in-service meters and stored curves of an area-day, or the problem to answer instead.</summary>
    async Task<(HashSet<string> InService, IReadOnlyList<StoredCurve> Curves, IActionResult? Problem)> AreaDayAsync(string areaCode, DateOnly day, CancellationToken ct)
    {
        if (await archive.FindNodeAsync(NetworkLevel.TransformerArea, areaCode, ct) is null)
        {
            return ([], [], Problems.NotFound($"No transformer area '{areaCode}' in the network archive."));
        }

        HashSet<string> inService = await AreaMeters.InServiceAsync(archive, areaCode, day, ct);
        try
        {
            return (inService, await curves.ListAreaDayAsync(areaCode, day, ct), null);
        }
        catch (UnreadableCurveException e)
        {
            // Stored bytes that do not decode are a defect of this system, not of the request.
            return ([], [], Problems.Create(StatusCodes.Status500InternalServerError, "Stored curve unreadable", e.Message, "stored-curve-unreadable"));
        }
    }
}
