using System.Text.RegularExpressions;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>
/// <c>docs/operations.md</c> lists every log event and every metric of the Functions app as the code defines them, so
/// the page operators alert on cannot drift from the code: a new <c>[LoggerMessage]</c> or instrument without its row,
/// a row whose id or level differs, or a row for an event that no longer exists fails the build.
/// </summary>
public sealed partial class OperationsDocTests
{
    static readonly string FunctionsProject = Path.Combine(Repository.Root, "functions", "MeterToCash.Functions");
    static readonly string Operations = File.ReadAllText(Path.Combine(Repository.Root, "docs", "operations.md"));

    sealed record LogEvent(int? Id, string Level, string Name, string File);

    static IReadOnlyList<LogEvent> LogEvents() =>
        Directory.EnumerateFiles(FunctionsProject, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LoggerMessage().Matches(File.ReadAllText(f)).Select(m =>
            {
                Match id = EventIdArgument().Match(m.Groups["args"].Value);
                return new LogEvent(
                    id.Success ? int.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                    LevelArgument().Match(m.Groups["args"].Value).Groups[1].Value,
                    m.Groups["name"].Value,
                    Path.GetRelativePath(FunctionsProject, f));
            }))
            .ToList();

    [Fact]
    public void LoggerMessages_EveryEvent_HasAnExplicitUniqueEventId()
    {
        IReadOnlyList<LogEvent> events = LogEvents();

        Assert.True(events.Count >= 40, $"Expected the app's [LoggerMessage] events, found {events.Count}: the pattern no longer matches the source.");
        Assert.All(events, e => Assert.True(e.Id is not null, $"{e.File}: {e.Name} has no EventId."));
        Assert.All(events.GroupBy(e => e.Id), g => Assert.True(g.Count() == 1, $"Event id {g.Key} is used by {string.Join(", ", g.Select(e => e.Name))}."));
    }

    [Fact]
    public void OperationsDoc_EveryLogEvent_IsListedWithItsIdNameAndLevel()
    {
        List<string> missing = LogEvents()
            .Where(e => !Operations.Contains($"| {e.Id} | `{e.Name}` | {e.Level} |", StringComparison.Ordinal))
            .Select(e => $"  | {e.Id} | `{e.Name}` | {e.Level} | ({e.File})")
            .ToList();

        Assert.True(missing.Count == 0, "docs/operations.md lacks these log events (or lists another id or level):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void OperationsDoc_LogEventRows_AreEachAnEventOfTheCode()
    {
        HashSet<string> code = LogEvents().Select(e => $"{e.Id}/{e.Name}").ToHashSet(StringComparer.Ordinal);
        List<string> rows = DocEventRow().Matches(Operations).Select(m => $"{m.Groups[1].Value}/{m.Groups[2].Value}").ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains(row, code));
    }

    [Fact]
    public void OperationsDoc_EveryMetric_IsListed()
    {
        string telemetry = File.ReadAllText(Path.Combine(FunctionsProject, "Infrastructure", "MeterToCashTelemetry.cs"));
        List<string> instruments = InstrumentName().Matches(telemetry).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(4, instruments.Count);
        Assert.All(instruments, name => Assert.Contains($"| `{name}` |", Operations, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\[LoggerMessage\((?<args>.*?)\)\]\s*(?:public|internal|private)?\s*static\s+partial\s+void\s+(?<name>\w+)", RegexOptions.Singleline)]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"EventId\s*=\s*(\d+)")]
    private static partial Regex EventIdArgument();

    [GeneratedRegex(@"Level\s*=\s*LogLevel\.(\w+)")]
    private static partial Regex LevelArgument();

    [GeneratedRegex(@"^\| (\d+) \| `(\w+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocEventRow();

    [GeneratedRegex(@"Meter\.Create(?:Counter|Histogram|UpDownCounter|Gauge)<\w+>\(\s*""([^""]+)""")]
    private static partial Regex InstrumentName();
}
