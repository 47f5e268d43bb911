using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Infra;

/// <summary>
/// Every setting the Functions app reads is given by <c>infra/main.bicep</c> or documented as optional in Azure in
/// <c>docs/operations.md</c>, so a deployment never starts with a setting the template forgot (a missing timer schedule
/// stops the host from indexing the function; a missing option silently takes its local default).
/// </summary>
public sealed class AppSettingsTests
{
    static readonly string FunctionsProject = Path.Combine(Repository.Root, "functions", "MeterToCash.Functions");
    static readonly string MainBicep = File.ReadAllText(Path.Combine(Repository.Root, "infra", "main.bicep"));
    static readonly string Operations = File.ReadAllText(Path.Combine(Repository.Root, "docs", "operations.md"));

    [Fact]
    public void MainBicep_EverySettingTheAppReads_IsInTheTemplateOrDocumentedOptional()
    {
        IReadOnlyList<CodeSetting> missing = AppSettingsCheck.Missing(
            AppSettingsCheck.CodeSettings(FunctionsProject), AppSettingsCheck.TemplateSettings(MainBicep), AppSettingsCheck.OptionalSettings(Operations));

        Assert.True(missing.Count == 0,
            "Settings the app reads that infra/main.bicep does not set and docs/operations.md does not list under '"
            + AppSettingsCheck.OptionalHeading + "':\n" + string.Join("\n", missing.Select(s => $"  {s.Name} ({s.Use}, {s.Where})")));
    }

    [Fact]
    public void AppSettingsCheck_FunctionsSource_FindsEachKindOfRead()
    {
        IReadOnlyList<CodeSetting> code = AppSettingsCheck.CodeSettings(FunctionsProject);

        Assert.Contains(new CodeSetting("Archive__ImportBatchSize", SettingUse.Option, Path.Combine("Archive", "ArchiveImportContracts.cs")), code);
        Assert.Contains(new CodeSetting("Vee__DailySchedule", SettingUse.Binding, Path.Combine("Vee", "DailyVeeWorkflow.cs")), code);
        Assert.Contains(new CodeSetting("Ingestion__EventHubName", SettingUse.Binding, Path.Combine("Ingestion", "MeterReadingsEventHubFunction.cs")), code);
        Assert.Contains(new CodeSetting("EventHubConnection", SettingUse.Connection, Path.Combine("Ingestion", "MeterReadingsEventHubFunction.cs")), code);
        Assert.Contains(new CodeSetting("MeterToCashStorage", SettingUse.Connection, Path.Combine("Infrastructure", "StorageOptions.cs")), code);
        Assert.Contains(new CodeSetting("AzureWebJobsStorage", SettingUse.Connection, "host.json"), code);
        Assert.Contains(new CodeSetting("DurableTaskHubName", SettingUse.Binding, "host.json"), code);
        Assert.Contains(new CodeSetting("APPLICATIONINSIGHTS_CONNECTION_STRING", SettingUse.Direct, Path.Combine("Infrastructure", "Telemetry.cs")), code);
        Assert.Contains(new CodeSetting("Telemetry__Exporter", SettingUse.Option, Path.Combine("Infrastructure", "Telemetry.cs")), code);
        // Computed properties are not settings.
        Assert.DoesNotContain(code, s => s.Name == "Monitoring__ArrivalGranularity");
    }

    [Theory]
    [InlineData("Vee__DailySchedule")] // a timer schedule: never optional
    [InlineData("Billing__DueDays")] // an option the docs do not list as optional
    [InlineData("Ingestion__EventHubConsumerGroup")]
    public void AppSettingsCheck_TemplateWithoutASetting_ReportsIt(string setting)
    {
        string forgetful = string.Join('\n', MainBicep.Split('\n').Where(line => !line.Contains($"name: '{setting}'", StringComparison.Ordinal)));
        Assert.NotEqual(MainBicep, forgetful);

        IReadOnlyList<CodeSetting> missing = AppSettingsCheck.Missing(
            AppSettingsCheck.CodeSettings(FunctionsProject), AppSettingsCheck.TemplateSettings(forgetful), AppSettingsCheck.OptionalSettings(Operations));

        Assert.Equal([setting], missing.Select(s => s.Name).Distinct()); // a schedule is both an option and a binding
    }

    [Fact]
    public void AppSettingsCheck_ConnectionWithoutAnyOfItsSettings_ReportsIt()
    {
        string forgetful = string.Join('\n', MainBicep.Split('\n').Where(line => !line.Contains("name: 'EventHubConnection__", StringComparison.Ordinal)));

        IReadOnlyList<CodeSetting> missing = AppSettingsCheck.Missing(
            AppSettingsCheck.CodeSettings(FunctionsProject), AppSettingsCheck.TemplateSettings(forgetful), AppSettingsCheck.OptionalSettings(Operations));

        Assert.Equal(["EventHubConnection"], missing.Select(s => s.Name));
    }

    [Fact]
    public void OperationsDoc_OptionalSettings_AreEachReadByTheAppAndNotSetByTheTemplate()
    {
        IReadOnlySet<string> optional = AppSettingsCheck.OptionalSettings(Operations);
        HashSet<string> read = AppSettingsCheck.CodeSettings(FunctionsProject).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(optional);
        Assert.All(optional, s => Assert.Contains(s, read));
        IReadOnlySet<string> template = AppSettingsCheck.TemplateSettings(MainBicep);
        Assert.All(optional, s => Assert.DoesNotContain(s, template));
    }
}
