namespace MeterToCash.Domain.Common;

/// <summary>
/// The one enum parser for every body, query and CSV field: a value is one of the enum's declared names, exactly as
/// documented (ordinal, case included). Unlike <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> it accepts no
/// numbers ("1"), no comma-joined flag combinations ("Residential, Commercial", which Enum.TryParse ORs into another
/// member) and no surrounding whitespace.
/// </summary>
public static class EnumNames
{
    /// <summary>True, with the member, when <paramref name="text"/> is exactly one of <typeparamref name="T"/>'s declared names.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="text">The value as sent.</param>
    /// <param name="value">The member, or default when false.</param>
    /// <returns>Whether the text is a declared name.</returns>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (!string.IsNullOrEmpty(text))
        {
            foreach (T candidate in Enum.GetValues<T>())
            {
                if (string.Equals(Enum.GetName(candidate), text, StringComparison.Ordinal))
                {
                    value = candidate;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>The accepted names, for messages: "A, B or C".</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <returns>The names joined for a sentence.</returns>
    public static string List<T>()
        where T : struct, Enum
    {
        string[] names = Enum.GetNames<T>();
        return names.Length < 2 ? string.Join(string.Empty, names) : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
