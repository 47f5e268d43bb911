using System.Text.RegularExpressions;

namespace MeterToCash.Functions.Tests.Infra;

/// <summary>How the Functions app reads a setting, which decides what the template must provide.</summary>
internal enum SettingUse
{
    /// <summary>A property of an options class bound from its section (<c>Section__Property</c>): has a code default.</summary>
    Option,

    /// <summary>A <c>%Name%</c> binding expression (timer schedules, hub names, task hub): the host cannot index the function without it.</summary>
    Binding,

    /// <summary>A connection name (<c>Connection = "X"</c>, host.json <c>connectionName</c>, the app's storage): <c>X</c> or any <c>X__*</c> setting satisfies it.</summary>
    Connection,

    /// <summary>Read by name from configuration (<c>configuration["X"]</c>, a <c>const string …Setting</c>).</summary>
    Direct,
}

/// <summary>One setting the app reads, where it is read, and how.</summary>
internal sealed record CodeSetting(string Name, SettingUse Use, string Where);

/// <summary>
/// Compares the settings the Functions app reads (found in its source and host.json) with the app settings
/// <c>infra/main.bicep</c> gives the Function App and the settings <c>docs/operations.md</c> lists as optional in Azure
/// (left to their code default). A setting in neither is one the template forgot.
/// </summary>
internal static partial class AppSettingsCheck
{
    /// <summary>The settings the app reads, by name (<c>:</c> written as <c>__</c>, as app settings are).</summary>
    public static IReadOnlyList<CodeSetting> CodeSettings(string functionsProject)
    {
        List<CodeSetting> settings = [];
        foreach (string file in Directory.EnumerateFiles(functionsProject, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string source = File.ReadAllText(file);
            string where = Path.GetRelativePath(functionsProject, file);
            settings.AddRange(OptionSettings(source, where));
            settings.AddRange(BindingExpression().Matches(source).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Binding, where)));
            settings.AddRange(ConnectionProperty().Matches(source).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Connection, where)));
            settings.AddRange(ConnectionNameConstant().Matches(source).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Connection, where)));
            settings.AddRange(ConfigurationIndexer().Matches(source).Select(m => new CodeSetting(AppSettingName(m.Groups[1].Value), SettingUse.Direct, where)));
            settings.AddRange(SettingConstant().Matches(source).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Direct, where)));
            settings.AddRange(EnvironmentVariable().Matches(source).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Direct, where)));
        }

        string hostJson = File.ReadAllText(Path.Combine(functionsProject, "host.json"));
        settings.AddRange(BindingExpression().Matches(hostJson).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Binding, "host.json")));
        settings.AddRange(HostConnectionName().Matches(hostJson).Select(m => new CodeSetting(m.Groups[1].Value, SettingUse.Connection, "host.json")));
        return settings.DistinctBy(s => (s.Name, s.Use)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Names of the Function App's app settings in a Bicep template (<c>{ name: '…', value: … }</c> entries).</summary>
    public static IReadOnlySet<string> TemplateSettings(string bicep) =>
        BicepAppSetting().Matches(bicep).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Settings documented as optional in Azure: the backticked names in the first column of the table under the
    /// heading <see cref="OptionalHeading"/> in docs/operations.md.
    /// </summary>
    public static IReadOnlySet<string> OptionalSettings(string operationsMarkdown)
    {
        int start = operationsMarkdown.IndexOf(OptionalHeading, StringComparison.Ordinal);
        if (start < 0)
        {
            return new HashSet<string>();
        }

        int end = operationsMarkdown.IndexOf("\n## ", start + OptionalHeading.Length, StringComparison.Ordinal);
        string section = end < 0 ? operationsMarkdown[start..] : operationsMarkdown[start..end];
        return section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => FirstColumnNames().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    public const string OptionalHeading = "## App settings left to their defaults in Azure";

    /// <summary>
    /// The settings neither the template nor the optional list provides. A binding expression can never be optional:
    /// without it the host does not index the function.
    /// </summary>
    public static IReadOnlyList<CodeSetting> Missing(IEnumerable<CodeSetting> code, IReadOnlySet<string> template, IReadOnlySet<string> optional) =>
        code.Where(s => s.Use switch
        {
            SettingUse.Connection => !template.Contains(s.Name) && !template.Any(t => t.StartsWith(s.Name + "__", StringComparison.Ordinal)),
            SettingUse.Binding => !template.Contains(s.Name),
            _ => !template.Contains(s.Name) && !optional.Contains(s.Name),
        }).ToList();

    /// <summary>Options classes: <c>const string Section = "X"</c> and the class's settable properties, <c>X__Property</c>.</summary>
    static IEnumerable<CodeSetting> OptionSettings(string source, string where)
    {
        MatchCollection types = TypeDeclaration().Matches(source);
        for (int i = 0; i < types.Count; i++)
        {
            int end = i + 1 < types.Count ? types[i + 1].Index : source.Length;
            string body = source[types[i].Index..end];
            Match section = SectionConstant().Match(body);
            if (!section.Success)
            {
                continue;
            }

            foreach (Match property in SettableProperty().Matches(body))
            {
                yield return new CodeSetting($"{section.Groups[1].Value}__{property.Groups[1].Value}", SettingUse.Option, where);
            }
        }
    }

    static string AppSettingName(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|partial)\s+)*(?:class|record|struct)\s+\w+", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"const\s+string\s+Section\s*=\s*""([^""]+)""")]
    private static partial Regex SectionConstant();

    [GeneratedRegex(@"public\s+[\w<>\[\]?.,]+\s+(\w+)\s*\{\s*get;\s*(?:set|init);\s*\}")]
    private static partial Regex SettableProperty();

    [GeneratedRegex(@"""%([A-Za-z0-9_]+)%""")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"\bConnection\s*=\s*""([^""]+)""")]
    private static partial Regex ConnectionProperty();

    [GeneratedRegex(@"const\s+string\s+ConnectionName\s*=\s*""([^""]+)""")]
    private static partial Regex ConnectionNameConstant();

    [GeneratedRegex(@"""connectionName""\s*:\s*""([^""]+)""")]
    private static partial Regex HostConnectionName();

    [GeneratedRegex(@"[cC]onfiguration\[\s*""([^""]+)""\s*\]")]
    private static partial Regex ConfigurationIndexer();

    [GeneratedRegex(@"const\s+string\s+\w+Setting\s*=\s*""([^""]+)""")]
    private static partial Regex SettingConstant();

    [GeneratedRegex(@"Environment\.GetEnvironmentVariable\(\s*""([^""]+)""\s*\)")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex(@"\{\s*name:\s*'([^']+)'\s*,\s*value:")]
    private static partial Regex BicepAppSetting();

    [GeneratedRegex(@"`([A-Za-z0-9_]+)`")]
    private static partial Regex FirstColumnNames();
}
