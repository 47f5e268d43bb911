namespace MeterToCash.Tools.Reconciliation;

/// <summary>How many differences to plant in a generated bank file (each a count of transactions).</summary>
/// <param name="Dropped">Our payments the bank leaves out (bank-short, 短款).</param>
/// <param name="Extra">Payments only the bank has, half with an unknown id and half without one (bank-long, 长款).</param>
/// <param name="ChangedAmounts">Payments whose amount the bank reports one yuan higher.</param>
/// <param name="WrongAccounts">Payments the bank reports for another account.</param>
/// <param name="BankOnlyReversals">Payments the bank also reverses, though we did not.</param>
/// <param name="Duplicates">Payments the bank lists twice (a second line under a new bankRef).</param>
/// <param name="WithoutId">Payments the bank reports without our channelTxnId, a few minutes off our time (these should still match).</param>
public sealed record ReconPlants(int Dropped = 0, int Extra = 0, int ChangedAmounts = 0, int WrongAccounts = 0, int BankOnlyReversals = 0, int Duplicates = 0, int WithoutId = 0)
{
    /// <summary>The total number of planted differences (the id-less lines are not differences).</summary>
    public int Differences => Dropped + Extra + ChangedAmounts + WrongAccounts + BankOnlyReversals + Duplicates;
}
