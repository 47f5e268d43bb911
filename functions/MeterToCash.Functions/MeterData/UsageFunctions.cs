using System.Collections.Concurrent;
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

/// <summary>
/// Register history of a meter and a customer's daily and monthly usage. Days and months are China local and both ends
/// of a range are inclusive. Energies are kWh (kvarh for reactive channels) on the primary side (× CT × PT).
/// </summary>
public sealed class UsageFunctions(MeterDirectory directory, RegisterStore registers, MonthToDateStore monthToDate, ArchiveStore archive)
{
    /// <summary>Longest day range of one request (a quarter and a bit: three months of daily reads).</summary>
    public const int MaxDays = 93;

    /// <summary>Longest month range of one request.</summary>
    public const int MaxMonths = 24;

    [Function(nameof(GetRegisterHistory))]
    public async Task<IActionResult> GetRegisterHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meters/{meterNo}/registers")] HttpRequest request,
        string meterNo)
    {
        List<ValidationError> errors = [];
        MeterId meter = QueryRules.MeterNo(meterNo, errors);
        (DateOnly from, DateOnly to) = QueryRules.DayRange(request, MaxDays, errors);
        MeterChannel? channel = QueryRules.Channel(request, null, errors);
        RegisterBand? band = Band(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await directory.ResolveAsync(meter.Value, ct) is not { } location)
        {
            return Problems.NotFound($"No meter '{meterNo}' in the archive.");
        }

        IReadOnlyList<StoredRegister> reads = await registers.HistoryAsync(location.Entry.Meter, ChinaTime.DayStart(from), ChinaTime.DayStart(to.AddDays(1)), ct);
        List<RegisterReadDto> items = reads
            .Where(r => (channel is null || r.Reading.Channel == channel) && (band is null || r.Reading.Band == band))
            .OrderBy(r => r.Reading.Channel).ThenBy(r => r.Reading.Band).ThenBy(r => r.Reading.ReadAt)
            .Select(ToDto)
            .ToList();
        return new OkObjectResult(new RegisterHistoryDto(location.Entry.Meter.Value, Text(from), Text(to),
            channel is { } c ? ReadingTypeCodes.ChannelCode(c) : null, band is { } b ? RegisterStore.BandName(b) : null, items.Count, items));
    }

    [Function(nameof(GetCustomerUsage))]
    public async Task<IActionResult> GetCustomerUsage(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers/{accountNo}/usage")] HttpRequest request,
        string accountNo)
    {
        List<ValidationError> errors = [];
        QueryRules.AccountNo(accountNo, errors);
        (DateOnly from, DateOnly to) = QueryRules.DayRange(request, MaxDays, errors);
        MeterChannel channel = QueryRules.Channel(request, MeterChannel.ActiveImport, errors)!.Value;
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindAsync(accountNo, ct) is not { } stored)
        {
            return Problems.NotFound($"No account '{accountNo}'.");
        }

        List<(string Area, MeterId Meter)> meters = Meters(stored.Customer);
        IReadOnlyList<(MeterId Meter, StoredMonthToDate Month)> months = await ReadMonthsAsync(meters, channel, from, to, ct);
        List<UsageDayDto> days = [];
        TouEnergy energy = default, estimated = default;
        Dictionary<DateOnly, List<DayContribution>> byDay = months
            .SelectMany(m => m.Month.Days)
            .Where(d => d.Day >= from && d.Day <= to)
            .GroupBy(d => d.Day)
            .ToDictionary(g => g.Key, g => g.ToList());
        for (DateOnly day = from; day <= to; day = day.AddDays(1))
        {
            List<DayContribution> parts = byDay.GetValueOrDefault(day) ?? [];
            TouEnergy e = Sum(parts.Select(p => p.Energy)), s = Sum(parts.Select(p => p.Estimated));
            energy = Add(energy, e);
            estimated = Add(estimated, s);
            days.Add(new UsageDayDto(Text(day), parts.Count, Bands(e), Bands(s), Share(s, e), parts.Any(p => p.Provisional), [.. parts.Select(p => p.Banding).Distinct().Order(StringComparer.Ordinal)]));
        }

        return new OkObjectResult(new CustomerUsageDto(stored.Customer.AccountNo, ReadingTypeCodes.ChannelCode(channel), Unit(channel), TouBandings.Description,
            Text(from), Text(to), [.. meters.Select(m => m.Meter.Value)], Bands(energy), Bands(estimated), Share(estimated, energy), days));
    }

    [Function(nameof(GetCustomerMonthlyUsage))]
    public async Task<IActionResult> GetCustomerMonthlyUsage(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers/{accountNo}/usage/monthly")] HttpRequest request,
        string accountNo)
    {
        List<ValidationError> errors = [];
        QueryRules.AccountNo(accountNo, errors);
        (DateOnly from, DateOnly to) = QueryRules.MonthRange(request, MaxMonths, errors);
        MeterChannel channel = QueryRules.Channel(request, MeterChannel.ActiveImport, errors)!.Value;
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindAsync(accountNo, ct) is not { } stored)
        {
            return Problems.NotFound($"No account '{accountNo}'.");
        }

        List<(string Area, MeterId Meter)> meters = Meters(stored.Customer);
        IReadOnlyList<(MeterId Meter, StoredMonthToDate Month)> months = await ReadMonthsAsync(meters, channel, from, to.AddMonths(1).AddDays(-1), ct);
        List<UsageMonthDto> list = [];
        TouEnergy energy = default, estimated = default;
        for (DateOnly month = from; month <= to; month = month.AddMonths(1))
        {
            List<StoredMonthToDate> parts = months.Where(m => m.Month.Totals.Year == month.Year && m.Month.Totals.Month == month.Month).Select(m => m.Month).ToList();
            TouEnergy e = Sum(parts.Select(p => p.Totals.Energy)), s = Sum(parts.Select(p => p.Totals.EstimatedEnergy));
            energy = Add(energy, e);
            estimated = Add(estimated, s);
            int daysWithData = parts.SelectMany(p => p.Days).Select(d => d.Day).Distinct().Count();
            int provisionalDays = parts.SelectMany(p => p.Days).Where(d => d.Provisional).Select(d => d.Day).Distinct().Count();
            list.Add(new UsageMonthDto(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), parts.Count, daysWithData, Bands(e), Bands(s), Share(s, e), provisionalDays));
        }

        return new OkObjectResult(new CustomerMonthlyUsageDto(stored.Customer.AccountNo, ReadingTypeCodes.ChannelCode(channel), Unit(channel), TouBandings.Description,
            from.ToString("yyyy-MM", CultureInfo.InvariantCulture), to.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            [.. meters.Select(m => m.Meter.Value)], Bands(energy), Bands(estimated), Share(estimated, energy), list));
    }

    /// <summary>
    /// Every meter the customer has or had, with its service point's area: month-to-date rows are filed under the area a
    /// meter belonged to when its data arrived, which for a meter that never moved is its point's area.
    /// </summary>
    static List<(string Area, MeterId Meter)> Meters(Customer customer) =>
        [.. customer.ServicePoints
            .SelectMany(p => p.Meters.Select(m => (p.AreaCode, new MeterId(MeterDataKeys.Meter(m.MeterNo.Value)))))
            .Distinct()];

    /// <summary>The month-to-date rows of every meter for every month touching [first, last]: one point read each.</summary>
    async Task<IReadOnlyList<(MeterId Meter, StoredMonthToDate Month)>> ReadMonthsAsync(List<(string Area, MeterId Meter)> meters, MeterChannel channel, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        List<(string Area, MeterId Meter, int Year, int Month)> wanted = [];
        for (DateOnly month = new(first.Year, first.Month, 1); month <= last; month = month.AddMonths(1))
        {
            wanted.AddRange(meters.Select(m => (m.Area, m.Meter, month.Year, month.Month)));
        }

        ConcurrentBag<(MeterId, StoredMonthToDate)> found = [];
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (w, ct) =>
        {
            if (await monthToDate.GetAsync(w.Area, w.Meter, channel, w.Year, w.Month, ct) is { } stored)
            {
                found.Add((w.Meter, stored));
            }
        });
        return [.. found];
    }

    static RegisterBand? Band(HttpRequest request, List<ValidationError> errors)
    {
        if (request.Query["register"].FirstOrDefault() is not { } text)
        {
            return null;
        }

        foreach (RegisterBand band in Enum.GetValues<RegisterBand>())
        {
            if (string.Equals(RegisterStore.BandName(band), text, StringComparison.OrdinalIgnoreCase))
            {
                return band;
            }
        }

        errors.Add(new("register", "register-code", "'register' is total, criticalPeak, peak, flat or valley."));
        return null;
    }

    static RegisterReadDto ToDto(StoredRegister r)
    {
        RegisterReading read = r.Reading;
        List<RuleOutcomeDto> rules = VeeRuleCatalog.All
            .Where(rule => (r.Evaluated & rule) != 0)
            .Select(rule => new RuleOutcomeDto(rule.ToString(), ((r.Failed & rule) != 0 ? VeeOutcome.Fail : VeeOutcome.Pass).ToString()))
            .ToList();
        return new RegisterReadDto(
            ReadingTypeCodes.ChannelCode(read.Channel),
            RegisterStore.BandName(read.Band),
            read.ReadAt.ToOffset(ChinaTime.Offset),
            read.Value,
            r.PrimaryValue,
            r.Multiplier,
            read.Unit == EnergyUnit.Kwh ? "kWh" : "kvarh",
            r.StoredQuality.ToString(),
            read.Quality.ToString(),
            read.MeterDigits,
            r.Delta is { } d ? new RegisterDeltaDto(d.Kind.ToString(), d.Delta, r.PrimaryDelta, r.PreviousReadAt?.ToOffset(ChinaTime.Offset)) : null,
            rules,
            r.IntervalSum is { } s ? new IntervalSumDto(s.Outcome.ToString(), s.RegisterDelta, s.IntervalSum) : new IntervalSumDto(nameof(VeeOutcome.NotEvaluated), null, null),
            r.RawBlob);
    }

    static TouEnergy Sum(IEnumerable<TouEnergy> parts) => parts.Aggregate(default(TouEnergy), Add);

    static TouEnergy Add(TouEnergy a, TouEnergy b) => new(a.CriticalPeak + b.CriticalPeak, a.Peak + b.Peak, a.Flat + b.Flat, a.Valley + b.Valley);

    static decimal Share(TouEnergy estimated, TouEnergy energy) =>
        energy.Total == 0m ? 0m : decimal.Round(estimated.Total / energy.Total, 4, MidpointRounding.AwayFromZero);

    static BandsDto Bands(TouEnergy e) => new(e.CriticalPeak, e.Peak, e.Flat, e.Valley, e.Total);

    static string Unit(MeterChannel channel) => MeterChannels.UnitOf(channel) == EnergyUnit.Kwh ? "kWh" : "kvarh";

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
