using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Archive;

/// <summary>
/// A billing group (抄表段): the accounts billed together on one cycle day, defined by transformer areas — every account
/// managed in one of <see cref="Areas"/> belongs to the group. An area belongs to at most one group (the archive enforces
/// it on write), so an account is billed by exactly one group.
/// </summary>
/// <remarks>
/// The cycle runs on <see cref="CycleDay"/> (1–28, so every month has it) of each month, China local. The period billed by
/// the run in month M is [CycleDay of M−1, CycleDay of M): start inclusive, end exclusive — the run's own day is the first
/// day of the next period. With CycleDay 1 a period is exactly the previous calendar month.
/// </remarks>
public sealed class BillingGroup
{
    /// <summary>Longest group code and name accepted.</summary>
    public const int MaxCodeLength = 32, MaxNameLength = 100;

    /// <summary>Most areas in one group (the archive writes a group and its area claims in one 100-action transaction).</summary>
    public const int MaxAreas = 49;

    /// <summary>Latest cycle day: 28, the last day every month has.</summary>
    public const int MaxCycleDay = 28;

    /// <summary>A valid group; area codes are trimmed, de-duplicated and sorted.</summary>
    /// <exception cref="ArgumentException">A rule of <see cref="Create"/> is broken (the message lists them).</exception>
    public BillingGroup(string code, string name, int cycleDay, IEnumerable<string> areas)
    {
        List<ValidationError> errors = [];
        BillingGroup? valid = Create(code, name, cycleDay, areas?.ToList(), errors);
        if (valid is null)
        {
            throw new ArgumentException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        (Code, Name, CycleDay, Areas) = (valid.Code, valid.Name, valid.CycleDay, valid.Areas);
    }

    BillingGroup(string code, string name, int cycleDay, IReadOnlyList<string> areas, bool validated)
    {
        _ = validated;
        Code = code;
        Name = name;
        CycleDay = cycleDay;
        Areas = areas;
    }

    /// <summary>Group code: 1–32 of A–Z, 0–9 and '-'.</summary>
    public string Code { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>China-local day of the month (1–28) on which the cycle runs.</summary>
    public int CycleDay { get; }

    /// <summary>Transformer area codes of the group, distinct, in ordinal order.</summary>
    public IReadOnlyList<string> Areas { get; }

    /// <summary>
    /// Validates and builds a group; returns null and fills <paramref name="errors"/> (field, rule, message) when a rule is
    /// broken. Area codes are trimmed, de-duplicated and sorted. Whether the areas exist is the archive's check, not this one.
    /// </summary>
    public static BillingGroup? Create(string? code, string? name, int? cycleDay, IReadOnlyList<string?>? areas, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        if (!IsCode(code))
        {
            errors.Add(new("code", "code-format", $"The group code must be 1–{MaxCodeLength} of A–Z, 0–9 and '-'."));
        }

        string trimmedName = name?.Trim() ?? string.Empty;
        TextRules.Check(errors, "name", trimmedName, MaxNameLength, required: true);

        if (cycleDay is null)
        {
            errors.Add(new("cycleDay", "required", "'cycleDay' is required."));
        }
        else if (cycleDay is < 1 or > MaxCycleDay)
        {
            errors.Add(new("cycleDay", "range", $"'cycleDay' must be 1–{MaxCycleDay} (a day every month has)."));
        }

        SortedSet<string> codes = new(StringComparer.Ordinal);
        if (areas is null || areas.Count == 0)
        {
            errors.Add(new("areas", "required", "A group needs at least one transformer area."));
        }
        else if (areas.Count > MaxAreas)
        {
            errors.Add(new("areas", "too-many", $"At most {MaxAreas} areas per group."));
        }
        else
        {
            for (int i = 0; i < areas.Count; i++)
            {
                string? area = areas[i]?.Trim();
                if (!ArchiveValidator.IsKey(area, ArchiveValidator.MaxCodeLength))
                {
                    errors.Add(new($"areas[{i}]", "code-format", $"An area code must be 1–{ArchiveValidator.MaxCodeLength} letters, digits, '-' or '_'."));
                }
                else
                {
                    codes.Add(area!);
                }
            }
        }

        return errors.Count == before ? new BillingGroup(code!, trimmedName, cycleDay!.Value, [.. codes], validated: true) : null;
    }

    /// <summary>True for 1–32 characters of A–Z, 0–9 and '-'.</summary>
    public static bool IsCode(string? code) =>
        !string.IsNullOrEmpty(code) && code.Length <= MaxCodeLength && code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');

    /// <summary>The period billed by the cycle run in <paramref name="month"/> of <paramref name="year"/>: [cycle day of the previous month, cycle day of this month), end exclusive.</summary>
    public BillingPeriod PeriodEndingIn(int year, int month)
    {
        DateOnly end = new(year, month, CycleDay);
        return new BillingPeriod(end.AddMonths(-1), end);
    }

    /// <summary>The period that starts on the cycle day of <paramref name="month"/> of <paramref name="year"/> (billed by next month's run): [cycle day of this month, cycle day of the next), end exclusive.</summary>
    public BillingPeriod PeriodStartingIn(int year, int month)
    {
        DateOnly start = new(year, month, CycleDay);
        return new BillingPeriod(start, start.AddMonths(1));
    }

    /// <summary>The next cycle run on or after <paramref name="today"/> (China local): this month's cycle day if not passed yet, else next month's.</summary>
    public DateOnly NextCycleOnOrAfter(DateOnly today)
    {
        DateOnly thisMonth = new(today.Year, today.Month, CycleDay);
        return thisMonth >= today ? thisMonth : thisMonth.AddMonths(1);
    }
}
