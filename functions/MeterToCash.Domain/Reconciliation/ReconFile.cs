namespace MeterToCash.Domain.Reconciliation;

/// <summary>A file read to the end: its channel and day, the usable transactions and the lines left out.</summary>
/// <param name="ChannelId">The channel the file is for.</param>
/// <param name="ChannelDate">The bank's accounting day the file covers.</param>
/// <param name="Format">The format it came in.</param>
/// <param name="Lines">The usable transactions, in file order.</param>
/// <param name="LineErrors">The unusable ones, in file order, each with its line or XPath.</param>
public sealed record ReconFile(string ChannelId, DateOnly ChannelDate, ReconFileFormat Format, IReadOnlyList<BankLine> Lines, IReadOnlyList<ReconLineError> LineErrors);
