namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// One unusable transaction of an otherwise usable file; it is left out and the rest goes on.
/// </summary>
/// <param name="Location">Where: <c>line {n}</c> (1-based physical line of the CSV) or an XPath with 1-based
/// positions (<c>/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/NtryDtls[1]/TxDtls[1]</c>).</param>
/// <param name="Rule">Stable kebab-case code, one of <see cref="ReconRules"/>.</param>
/// <param name="Message">A sentence for a person.</param>
public sealed record ReconLineError(string Location, string Rule, string Message);
