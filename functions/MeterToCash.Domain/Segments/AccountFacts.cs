using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Segments;

/// <summary>
/// What the classification knows of an account, gathered from the archive, the meter data, the bills and the ledger.
/// </summary>
/// <param name="AccountNo">Account number.</param>
/// <param name="Class">Customer class from the archive.</param>
/// <param name="Credit">Credit grade from the archive.</param>
/// <param name="TariffCodes">Tariff codes of its service points in effect on the classification day.</param>
/// <param name="HourlyProfile">24 shares (sum 1) of its average day's active-import energy by China-local hour, or null without curves.</param>
/// <param name="ProfileDays">Days the profile averages.</param>
/// <param name="EnergyKwh">Active-import energy over the months with data, kWh (primary side).</param>
/// <param name="EnergyMonths">Months (of the last 12) with month-to-date energy, 0–12.</param>
/// <param name="RevenueFen">Total of issued, not cancelled bills whose period started in the last 12 months, fen.</param>
/// <param name="HasLedgerHistory">True when the ledger has any entry.</param>
/// <param name="OverdueFen">Open principal of bills past their due date, fen.</param>
/// <param name="MaxDaysOverdue">Days the oldest overdue open bill is past its due date; 0 when none.</param>
/// <param name="LateFeeMonths">Distinct months (of the last 12) with a late fee assessed.</param>
public sealed record AccountFacts(
    string AccountNo,
    CustomerClass Class,
    CreditGrade Credit,
    IReadOnlyList<string> TariffCodes,
    IReadOnlyList<double>? HourlyProfile,
    int ProfileDays,
    double EnergyKwh,
    int EnergyMonths,
    long RevenueFen,
    bool HasLedgerHistory,
    long OverdueFen,
    int MaxDaysOverdue,
    int LateFeeMonths);
