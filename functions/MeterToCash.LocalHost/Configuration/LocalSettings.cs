using System.Text.Json;

namespace MeterToCash.LocalHost.Configuration;

/// <summary>
/// Reads the <c>Values</c> of <c>local.settings.json</c> the way the Functions host turns app settings into
/// configuration: <c>A__B</c> becomes <c>A:B</c>. Missing values fall back to <c>local.settings.sample.json</c>.
/// </summary>
internal static class LocalSettings
{
    public static void AddLocalSettings(this IConfigurationBuilder configuration, string[] args)
    {
        string? root = FindRepositoryRoot();
        string[] searchDirectories = [Directory.GetCurrentDirectory(), .. root is null ? [] : new[] { root }, AppContext.BaseDirectory];

        // Later sources win: sample defaults, then the developer's own file, then environment and command line.
        string? sample = searchDirectories.Select(d => Path.Combine(d, "local.settings.sample.json")).FirstOrDefault(File.Exists);
        string? local = searchDirectories.Select(d => Path.Combine(d, "local.settings.json")).FirstOrDefault(File.Exists);
        foreach (string? file in new[] { sample, local })
        {
            if (file is not null)
            {
                configuration.AddInMemoryCollection(ReadValues(file));
            }
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }

    static Dictionary<string, string?> ReadValues(string file)
    {
        using FileStream stream = File.OpenRead(file);
        using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out JsonElement section))
        {
            foreach (JsonProperty property in section.EnumerateObject())
            {
                values[property.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }

        return values;
    }

    static string? FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
