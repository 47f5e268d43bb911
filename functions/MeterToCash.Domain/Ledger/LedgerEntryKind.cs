namespace MeterToCash.Domain.Ledger;

/// <summary>What a ledger entry records.</summary>
public enum LedgerEntryKind
{
    /// <summary>A bill's principal charged to the account; opens the bill.</summary>
    Charge,

    /// <summary>Money received from a payment channel (payment or prepaid top-up).</summary>
    Payment,

    /// <summary>A late-payment fee (违约金) assessed on a bill's open principal.</summary>
    LateFee,

    /// <summary>
    /// A manual correction: a debit (positive amount) opens an item of its own like a bill; a credit (negative amount) is
    /// allocated like a payment.
    /// </summary>
    Adjustment,

    /// <summary>Undoes one earlier entry; the ledger keeps both.</summary>
    Reversal,
}
