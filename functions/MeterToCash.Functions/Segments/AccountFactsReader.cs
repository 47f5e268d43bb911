using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Segments;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Ledger;
using MeterToCash.Functions.MeterData;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Segments;

/// <summary>
/// Gathers <see cref="AccountFacts"/> for an area's accounts through the other features' services: the archive
/// (accounts, meters, tariffs, credit grade), the meter data (the area's curves of the last
/// <see cref="SegmentOptions.ProfileDays"/> days, one partition query per area-day; each meter's month-to-date energy of
/// the last 12 months), billing (an account's bills) and the ledger (its entries and open bills).
/// </summary>
public sealed class AccountFactsReader(ArchiveStore archive, CurveStore curves, MonthToDateStore monthToDate, BillStore bills, AccountLedger ledger, IOptions<SegmentOptions> options)
{
    /// <summary>The facts of every account filed under <paramref name="area"/>, as of <paramref name="asOf"/> (data through the day before), by account number.</summary>
    public async Task<IReadOnlyList<(AccountFacts Facts, string Area)>> ReadAreaAsync(string area, DateOnly asOf, CancellationToken cancellationToken)
    {
        List<Customer> customers = [];
        string? token = null;
        do
        {
            (IReadOnlyList<Customer> items, string? next) = await archive.ListAsync(area, null, null, 1000, token, cancellationToken);
            customers.AddRange(items);
            token = next;
        }
        while (token is not null);

        // Hourly energy per meter over the profile window, from the area-day curves (every area the meters are in).
        DateOnly lastDay = asOf.AddDays(-1), firstDay = asOf.AddDays(-options.Value.ProfileDays);
        Dictionary<string, (double[] Hourly, int Days)> profiles = new(StringComparer.Ordinal);
        foreach (string curveArea in customers.SelectMany(c => c.ServicePoints).Select(sp => sp.AreaCode).Distinct(StringComparer.Ordinal))
        {
            for (DateOnly day = firstDay; day <= lastDay; day = day.AddDays(1))
            {
                IReadOnlyList<StoredCurve> stored;
                try
                {
                    stored = await curves.ListAreaDayAsync(curveArea, day, cancellationToken);
                }
                catch (UnreadableCurveException)
                {
                    continue;
                }

                foreach (DayCurve curve in stored.Select(s => s.Curve).Where(c => c.Channel == MeterChannel.ActiveImport))
                {
                    ReadOnlySpan<CurveSlot> slots = curve.Slots;
                    if (slots.Length == 0 || curve.Slots.ToArray().Count(s => s.HasValue) < slots.Length * 9 / 10)
                    {
                        continue; // an incomplete day would bend the shape
                    }

                    if (!profiles.TryGetValue(curve.Meter.Value, out var p))
                    {
                        p = (new double[24], 0);
                    }

                    for (int s = 0; s < slots.Length; s++)
                    {
                        if (slots[s].HasValue)
                        {
                            p.Hourly[s * 24 / slots.Length] += (double)slots[s].Value;
                        }
                    }

                    profiles[curve.Meter.Value] = (p.Hourly, p.Days + 1);
                }
            }
        }

        List<(AccountFacts, string)> result = new(customers.Count);
        foreach (Customer customer in customers.OrderBy(c => c.AccountNo, StringComparer.Ordinal))
        {
            result.Add((await FactsAsync(customer, asOf, profiles, cancellationToken), area));
        }

        return result;
    }

    async Task<AccountFacts> FactsAsync(Customer customer, DateOnly asOf, Dictionary<string, (double[] Hourly, int Days)> profiles, CancellationToken cancellationToken)
    {
        List<(string Area, Meter Meter)> meters = [.. customer.ServicePoints.SelectMany(sp => sp.Meters.Select(m => (sp.AreaCode, m)))];
        double[] hourly = new double[24];
        int days = 0;
        foreach ((_, Meter meter) in meters)
        {
            if (profiles.TryGetValue(meter.MeterNo.Value, out var p))
            {
                for (int h = 0; h < 24; h++)
                {
                    hourly[h] += p.Hourly[h] / p.Days;
                }

                days = Math.Max(days, p.Days);
            }
        }

        // Month-to-date energy of the 12 months ending with the month before asOf's (whole months).
        double energy = 0;
        HashSet<DateOnly> months = [];
        DateOnly firstMonth = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-12);
        foreach ((string area, Meter meter) in meters)
        {
            for (DateOnly month = firstMonth; month < new DateOnly(asOf.Year, asOf.Month, 1); month = month.AddMonths(1))
            {
                if (await monthToDate.GetAsync(area, meter.MeterNo, MeterChannel.ActiveImport, month.Year, month.Month, cancellationToken) is { } stored && stored.Days.Count > 0)
                {
                    energy += (double)stored.Totals.Energy.Total;
                    months.Add(month);
                }
            }
        }

        long revenue = (await bills.ListAsync(customer.AccountNo, cancellationToken))
            .Where(b => b.Status == BillStatus.Issued && b.Bill.PeriodStart >= asOf.AddMonths(-12))
            .Sum(b => b.Bill.TotalFen);

        IReadOnlyList<LedgerEntry> entries = await ledger.EntriesAsync(customer.AccountNo, cancellationToken);
        LedgerState state = LedgerState.Replay(entries);
        OpenBill[] overdue = [.. state.Bills.Where(b => !b.Reversed && b.PrincipalOpen.Fen > 0 && b.DueDate < asOf)];
        int lateFeeMonths = entries.Where(e => e.Kind == LedgerEntryKind.LateFee && ChinaTime.LocalDay(e.PostedAt) >= asOf.AddMonths(-12))
            .Select(e => ChinaTime.LocalDay(e.PostedAt).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).Distinct().Count();
        string[] tariffs = [.. customer.ServicePoints.SelectMany(sp => sp.Tariffs)
            .Where(t => t.EffectiveFrom <= asOf && (t.EffectiveTo is null || t.EffectiveTo >= asOf)).Select(t => t.TariffCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        return new AccountFacts(customer.AccountNo, customer.Class, customer.Credit, tariffs,
            days > 0 ? LoadShapes.Normalise(hourly) : null, days, Math.Round(energy, 3), months.Count, revenue,
            entries.Count > 0, overdue.Sum(b => b.PrincipalOpen.Fen), overdue.Length == 0 ? 0 : overdue.Max(b => asOf.DayNumber - b.DueDate.DayNumber), lateFeeMonths);
    }
}
