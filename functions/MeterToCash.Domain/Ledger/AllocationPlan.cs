using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// A working copy of an account's bills while one entry is composed: applies money oldest first (late fee before
/// principal) and reopens paid amounts, collecting the net allocation per bill for the entry.
/// </summary>
internal sealed class AllocationPlan
{
    private readonly List<Item> _items;
    private readonly Dictionary<string, (Money LateFee, Money Principal)> _net = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public AllocationPlan(LedgerState state)
    {
        _items = [.. state.Bills.Select(b => new Item(b.BillId, b.IssuedOn, b.LateFeeCharged, b.LateFeeOpen, b.Principal, b.PrincipalOpen))];
    }

    /// <summary>Adds a bill opened by the entry being composed, keeping the oldest-first order.</summary>
    public void AddBill(string billId, DateOnly issuedOn, Money principal)
    {
        int index = 0;
        while (index < _items.Count && Compare(_items[index], issuedOn, billId) < 0)
        {
            index++;
        }

        _items.Insert(index, new Item(billId, issuedOn, Money.Zero, Money.Zero, principal, principal));
    }

    /// <summary>Removes the principal of a bill whose charge is reversed; returns the principal that had been paid.</summary>
    public Money Uncharge(string billId)
    {
        Item item = Find(billId);
        Money paid = item.Principal - item.PrincipalOpen;
        item.Principal = Money.Zero;
        item.PrincipalOpen = Money.Zero;
        return paid;
    }

    /// <summary>Removes a reversed late fee from a bill; returns the part of it that had been paid.</summary>
    public Money RemoveLateFee(string billId, Money fee)
    {
        Item item = Find(billId);
        Money openRemoved = fee < item.LateFeeOpen ? fee : item.LateFeeOpen;
        item.LateFeeCharged -= fee;
        item.LateFeeOpen -= openRemoved;
        return fee - openRemoved;
    }

    /// <summary>
    /// Applies <paramref name="available"/> to open amounts: bills oldest first (issue day, then id), each bill's late fee
    /// before its principal. Returns what is left.
    /// </summary>
    public Money Settle(Money available)
    {
        foreach (Item item in _items)
        {
            if (available.Fen <= 0)
            {
                break;
            }

            Money lateFee = available < item.LateFeeOpen ? available : item.LateFeeOpen;
            available -= lateFee;
            Money principal = available < item.PrincipalOpen ? available : item.PrincipalOpen;
            available -= principal;
            Move(item, lateFee, principal);
        }

        return available;
    }

    /// <summary>Reopens up to the given amounts of a bill's paid late fee and principal; returns what was reopened.</summary>
    public Money Reopen(string billId, Money lateFee, Money principal)
    {
        Item item = Find(billId);
        Money lateFeeBack = lateFee < item.LateFeePaid ? lateFee : item.LateFeePaid;
        Money principalBack = principal < item.PrincipalPaid ? principal : item.PrincipalPaid;
        Move(item, -lateFeeBack, -principalBack);
        return lateFeeBack + principalBack;
    }

    /// <summary>
    /// Reopens <paramref name="amount"/> of paid amounts in the reverse of the settling order: newest bill first, its
    /// principal before its late fee. Returns what could not be reopened (zero when the books balance).
    /// </summary>
    public Money ReopenNewestFirst(Money amount)
    {
        for (int i = _items.Count - 1; i >= 0 && amount.Fen > 0; i--)
        {
            Item item = _items[i];
            Money principal = amount < item.PrincipalPaid ? amount : item.PrincipalPaid;
            amount -= principal;
            Money lateFee = amount < item.LateFeePaid ? amount : item.LateFeePaid;
            amount -= lateFee;
            Move(item, -lateFee, -principal);
        }

        return amount;
    }

    /// <summary>The net change per bill, in the order bills were first touched; bills netting to zero are left out.</summary>
    public IReadOnlyList<LedgerAllocation> Allocations() =>
        [.. _order.Select(id => (Id: id, Net: _net[id]))
            .Where(x => x.Net.LateFee != Money.Zero || x.Net.Principal != Money.Zero)
            .Select(x => new LedgerAllocation(x.Id, x.Net.LateFee, x.Net.Principal))];

    private void Move(Item item, Money lateFee, Money principal)
    {
        if (lateFee == Money.Zero && principal == Money.Zero)
        {
            return;
        }

        item.LateFeeOpen -= lateFee;
        item.PrincipalOpen -= principal;
        if (!_net.TryGetValue(item.BillId, out (Money LateFee, Money Principal) net))
        {
            _order.Add(item.BillId);
        }

        _net[item.BillId] = (net.LateFee + lateFee, net.Principal + principal);
    }

    private Item Find(string billId) => _items.First(i => string.Equals(i.BillId, billId, StringComparison.Ordinal));

    private static int Compare(Item item, DateOnly issuedOn, string billId)
    {
        int byDay = item.IssuedOn.CompareTo(issuedOn);
        return byDay != 0 ? byDay : string.CompareOrdinal(item.BillId, billId);
    }

    private sealed class Item(string billId, DateOnly issuedOn, Money lateFeeCharged, Money lateFeeOpen, Money principal, Money principalOpen)
    {
        public string BillId { get; } = billId;

        public DateOnly IssuedOn { get; } = issuedOn;

        public Money LateFeeCharged { get; set; } = lateFeeCharged;

        public Money LateFeeOpen { get; set; } = lateFeeOpen;

        public Money Principal { get; set; } = principal;

        public Money PrincipalOpen { get; set; } = principalOpen;

        public Money LateFeePaid => LateFeeCharged - LateFeeOpen;

        public Money PrincipalPaid => Principal - PrincipalOpen;
    }
}
