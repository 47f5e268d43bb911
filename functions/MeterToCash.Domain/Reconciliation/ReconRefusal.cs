namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// Why a whole file is refused: nothing of it is usable. <see cref="Status"/> is the HTTP status the upload should
/// answer: 400 when the bytes are not a file of the contract at all (encoding, XML, DTD, namespace, header), 422 when
/// they are but disagree with themselves or with the caller (control total, balance, channel), 413 when over a limit.
/// </summary>
/// <param name="Rule">Stable kebab-case code, one of <see cref="ReconRules"/>.</param>
/// <param name="Status">Intended HTTP status: 400, 413 or 422.</param>
/// <param name="Message">A sentence for a person.</param>
public sealed record ReconRefusal(string Rule, int Status, string Message);
