using System.Collections.Immutable;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// An account's ledger folded: balance, credit, every bill with its open amounts, the last sequence and the entries by id.
/// Immutable; <see cref="Apply"/> returns a new state.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Balance"/> is the sum of all entry amounts, in fen: positive is owed, negative is credit (postpaid) or
/// prepaid balance. It always equals <see cref="OpenTotal"/> − <see cref="Credit"/>.
/// </para>
/// <para>
/// Credit and open amounts never coexist: money is applied to bills as soon as both exist (a payment to open bills,
/// credit to a new charge). So <see cref="Credit"/> = max(0, −Balance) and <see cref="OpenTotal"/> = max(0, Balance).
/// </para>
/// <para>
/// <see cref="Apply"/> rejects an entry that does not fit (wrong sequence, reused id, unknown bill, an open amount out of
/// range, broken identity), so a stored ledger that replays is consistent.
/// </para>
/// </remarks>
public sealed class LedgerState
{
    private readonly ImmutableDictionary<string, OpenBill> _bills;
    private readonly ImmutableDictionary<string, LedgerEntry> _entries;
    private readonly ImmutableDictionary<string, string> _reversedBy;

    private LedgerState(long lastSequence, Money balance, Money credit, Money openTotal, ImmutableDictionary<string, OpenBill> bills, ImmutableDictionary<string, LedgerEntry> entries, ImmutableDictionary<string, string> reversedBy)
    {
        LastSequence = lastSequence;
        Balance = balance;
        Credit = credit;
        OpenTotal = openTotal;
        _bills = bills;
        _entries = entries;
        _reversedBy = reversedBy;
    }

    /// <summary>The state of an account with no entries.</summary>
    public static LedgerState Empty { get; } = new(
        0,
        Money.Zero,
        Money.Zero,
        Money.Zero,
        ImmutableDictionary.Create<string, OpenBill>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal));

    /// <summary>Sequence of the last entry applied; 0 when empty. The next entry must carry this + 1.</summary>
    public long LastSequence { get; }

    /// <summary>What the customer owes, fen: the sum of all entry amounts; negative is credit or prepaid balance.</summary>
    public Money Balance { get; }

    /// <summary>Money received and not allocated to any bill, fen, ≥ 0: credit (postpaid) or prepaid balance.</summary>
    public Money Credit { get; }

    /// <summary>Sum of all bills' open principal and open late fees, fen, ≥ 0.</summary>
    public Money OpenTotal { get; }

    /// <summary>Every bill (including settled and reversed ones), oldest first: by issue day, then bill id (ordinal).</summary>
    public IReadOnlyList<OpenBill> Bills => [.. _bills.Values.OrderBy(b => b.IssuedOn).ThenBy(b => b.BillId, StringComparer.Ordinal)];

    /// <summary>Ids of all entries applied.</summary>
    public IEnumerable<string> EntryIds => _entries.Keys;

    /// <summary>The bill with this id, or null.</summary>
    public OpenBill? FindBill(string billId) => _bills.GetValueOrDefault(billId);

    /// <summary>
    /// Finds an entry by its id: the idempotency check. A caller posting an id that is already here answers with the
    /// original entry instead of posting again.
    /// </summary>
    public bool TryFind(string entryId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LedgerEntry? entry) => _entries.TryGetValue(entryId, out entry);

    /// <summary>The id of the reversal entry that undid <paramref name="entryId"/>, or null when it is not reversed.</summary>
    public string? ReversalOf(string entryId) => _reversedBy.GetValueOrDefault(entryId);

    /// <summary>Folds entries, in sequence order, from <see cref="Empty"/>.</summary>
    /// <exception cref="ArgumentException">An entry does not fit the state before it.</exception>
    public static LedgerState Replay(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        LedgerState state = Empty;
        foreach (LedgerEntry entry in entries)
        {
            state = state.Apply(entry);
        }

        return state;
    }

    /// <summary>The state after <paramref name="entry"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The entry does not fit: its sequence is not <see cref="LastSequence"/> + 1, its id is already used, it names an
    /// unknown or existing bill wrongly, reverses an unknown, reversed or reversal entry, or leaves an open amount or the
    /// credit out of range, or breaks the identity amount = change of open amounts − change of credit.
    /// </exception>
    public LedgerState Apply(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Sequence != LastSequence + 1)
        {
            throw Reject(entry, $"sequence {entry.Sequence} does not follow {LastSequence}");
        }

        if (_entries.ContainsKey(entry.EntryId))
        {
            throw Reject(entry, "the entry id is already used");
        }

        ImmutableDictionary<string, OpenBill>.Builder bills = _bills.ToBuilder();
        ImmutableDictionary<string, string> reversedBy = _reversedBy;
        switch (entry.Kind)
        {
            case LedgerEntryKind.Charge:
            case LedgerEntryKind.Adjustment when entry.IsDebit:
                if (bills.ContainsKey(entry.BillId!))
                {
                    throw Reject(entry, $"bill {entry.BillId} already exists");
                }

                bills[entry.BillId!] = new OpenBill(entry.BillId!, entry.IssuedOn!.Value, entry.DueDate!.Value, entry.Amount, entry.Amount, Money.Zero, Money.Zero, null, reversed: false);
                break;

            case LedgerEntryKind.LateFee:
                OpenBill charged = BillOf(bills, entry, entry.BillId!);
                DateOnly through = charged.LateFeeAssessedThrough is DateOnly before && before > entry.LateFeeThrough!.Value ? before : entry.LateFeeThrough!.Value;
                bills[charged.BillId] = charged.WithLateFee(entry.Amount, through);
                break;

            case LedgerEntryKind.Reversal:
                if (!_entries.TryGetValue(entry.ReversesEntryId!, out LedgerEntry? original))
                {
                    throw Reject(entry, $"it reverses unknown entry {entry.ReversesEntryId}");
                }

                if (original.Kind == LedgerEntryKind.Reversal || _reversedBy.ContainsKey(original.EntryId))
                {
                    throw Reject(entry, $"entry {original.EntryId} is a reversal or already reversed");
                }

                if (entry.Amount != -original.Amount)
                {
                    throw Reject(entry, $"it reverses {original.Amount} with {entry.Amount}");
                }

                if (original.Kind == LedgerEntryKind.LateFee)
                {
                    OpenBill feeBill = BillOf(bills, entry, original.BillId!);
                    // The unpaid part of the fee is removed from what is open; a paid part turns into credit (through the entry's credit change).
                    bills[feeBill.BillId] = feeBill.WithoutLateFee(original.Amount, original.Amount < feeBill.LateFeeOpen ? original.Amount : feeBill.LateFeeOpen);
                }
                else if (original.IsDebit)
                {
                    OpenBill uncharged = BillOf(bills, entry, original.BillId!);
                    if (uncharged.LateFeeCharged != Money.Zero)
                    {
                        throw Reject(entry, $"bill {uncharged.BillId} still has late fees");
                    }

                    bills[uncharged.BillId] = uncharged.Uncharged();
                }

                reversedBy = reversedBy.Add(original.EntryId, entry.EntryId);
                break;
        }

        foreach (LedgerAllocation allocation in entry.Allocations)
        {
            OpenBill bill = BillOf(bills, entry, allocation.BillId);
            try
            {
                bills[bill.BillId] = bill.WithOpen(bill.PrincipalOpen - allocation.Principal, bill.LateFeeOpen - allocation.LateFee);
            }
            catch (ArgumentException e)
            {
                throw Reject(entry, e.Message);
            }
        }

        Money credit = Credit + entry.CreditChange;
        if (credit.Fen < 0)
        {
            throw Reject(entry, $"credit would fall to {credit}");
        }

        Money openTotal = Money.Zero;
        foreach (OpenBill bill in bills.Values)
        {
            openTotal += bill.OpenTotal;
        }

        if (entry.Amount != openTotal - OpenTotal - entry.CreditChange)
        {
            throw Reject(entry, $"amount {entry.Amount} ≠ change of open amounts {openTotal - OpenTotal} − change of credit {entry.CreditChange}");
        }

        if (credit.Fen > 0 && openTotal.Fen > 0)
        {
            throw Reject(entry, $"it leaves credit {credit} unapplied while {openTotal} is open");
        }

        return new LedgerState(entry.Sequence, Balance + entry.Amount, credit, openTotal, bills.ToImmutable(), _entries.Add(entry.EntryId, entry), reversedBy);
    }

    private static OpenBill BillOf(ImmutableDictionary<string, OpenBill>.Builder bills, LedgerEntry entry, string billId) =>
        bills.TryGetValue(billId, out OpenBill? bill) ? bill : throw Reject(entry, $"unknown bill {billId}");

    private static ArgumentException Reject(LedgerEntry entry, string problem) =>
        new($"Ledger entry #{entry.Sequence} {entry.EntryId} does not fit the account: {problem}.", nameof(entry));
}
