namespace MeterToCash.Domain.Reconciliation;

/// <summary>The count and amounts of one class in a day's reconciliation.</summary>
/// <param name="Class">The class.</param>
/// <param name="Count">How many items.</param>
/// <param name="BankFen">Sum of the items' bank cash in fen (payments +, reversals −).</param>
/// <param name="JournalFen">Sum of the items' journal cash in fen (payments +, reversals −).</param>
public sealed record ReconClassTotal(ReconClass Class, int Count, long BankFen, long JournalFen);
