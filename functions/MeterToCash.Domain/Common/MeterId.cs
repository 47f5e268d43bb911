namespace MeterToCash.Domain.Common;

/// <summary>
/// A meter's asset number as printed on its nameplate (资产编号), e.g. a 22-digit State Grid bar code.
/// </summary>
/// <remarks>Letters, digits and '-' only, 1–32 characters, so it is safe as an Azure Table key.</remarks>
/// <param name="Value">The normalised number.</param>
public readonly record struct MeterId(string Value)
{
    /// <summary>Longest accepted meter number.</summary>
    public const int MaxLength = 32;

    /// <summary>Parses a meter number, trimming white space; fails for empty, over-long or non-alphanumeric input.</summary>
    public static bool TryParse(string? text, out MeterId meterId)
    {
        meterId = default;
        string trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (char c in trimmed)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        meterId = new MeterId(trimmed);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
