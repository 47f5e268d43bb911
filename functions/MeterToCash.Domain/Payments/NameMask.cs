namespace MeterToCash.Domain.Payments;

/// <summary>Masks a customer's name for payment channels: they show the payer enough to recognise the account, not the name.</summary>
public static class NameMask
{
    /// <summary>
    /// The name as a channel sees it: its first character (a whole surrogate pair or text element) followed by <c>*</c>;
    /// an empty or blank name is <c>*</c>. <c>陈小明</c> → <c>陈*</c>, <c>欧阳娜娜</c> → <c>欧*</c>, <c>Zhang Wei</c> → <c>Z*</c>.
    /// </summary>
    public static string Mask(string? name)
    {
        string trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            return "*";
        }

        System.Globalization.TextElementEnumerator elements = System.Globalization.StringInfo.GetTextElementEnumerator(trimmed);
        elements.MoveNext();
        return elements.GetTextElement() + "*";
    }
}
