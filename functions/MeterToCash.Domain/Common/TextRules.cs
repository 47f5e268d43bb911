namespace MeterToCash.Domain.Common;

/// <summary>
/// The rules every free-text field shares (names, addresses, manufacturers, reviewers' and operators' <c>who</c>,
/// notes, reasons): at most a documented length; no control characters (NUL, newlines, C1) and no bidirectional
/// overrides, embeddings, isolates or marks, which can make a stored name display as something else; and at least one
/// visible character, so a value of only spaces or zero-width characters is not a name.
/// </summary>
public static class TextRules
{
    /// <summary>True for the Unicode bidirectional formatting characters (LRE…RLO, LRI…PDI, LRM, RLM, ALM).</summary>
    /// <param name="c">The character.</param>
    /// <returns>Whether it is a bidi control.</returns>
    public static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>Checks one text field, adding at most one error naming <paramref name="field"/>; true when the value is usable (or absent and optional).</summary>
    /// <param name="errors">Where a broken rule is reported.</param>
    /// <param name="field">The field's name in the request.</param>
    /// <param name="value">The value as sent.</param>
    /// <param name="maxLength">Most UTF-16 characters allowed.</param>
    /// <param name="required">Whether an absent or blank value is an error.</param>
    /// <returns>Whether no rule was broken.</returns>
    public static bool Check(List<ValidationError> errors, string field, string? value, int maxLength, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(value) || (string.IsNullOrWhiteSpace(value) && !value.Any(c => char.IsControl(c) || IsBidiControl(c))))
        {
            if (required)
            {
                errors.Add(new(field, "required", $"'{field}' is required."));
                return false;
            }

            return value is null || value.Length == 0;
        }

        if (value.Length > maxLength)
        {
            errors.Add(new(field, "max-length", $"'{field}' is longer than {maxLength} characters."));
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool loneSurrogate = char.IsHighSurrogate(c) ? i + 1 >= value.Length || !char.IsLowSurrogate(value[++i]) : char.IsLowSurrogate(c);
            if (char.IsControl(c) || IsBidiControl(c) || loneSurrogate)
            {
                errors.Add(new(field, "no-control-characters", $"'{field}' contains a control or bidirectional-override character."));
                return false;
            }
        }

        if (!value.Any(IsVisible))
        {
            errors.Add(new(field, "visible-character-required", $"'{field}' needs at least one visible character (not only spaces or zero-width characters)."));
            return false;
        }

        return true;
    }

    static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.Control);
}
