namespace MeterToCash.Domain.Reconciliation;

/// <summary>What a transaction did, on the bank's side or ours.</summary>
public enum ReconTxnType
{
    /// <summary>A payment (<c>PAY</c> in the CSV, <c>CRDT</c> in camt): the bank took money for an account.</summary>
    Pay,

    /// <summary>A reversal (<c>REV</c> in the CSV, <c>DBIT</c> in camt, 冲正) of the payment with the same <c>channelTxnId</c>.</summary>
    Rev,
}
