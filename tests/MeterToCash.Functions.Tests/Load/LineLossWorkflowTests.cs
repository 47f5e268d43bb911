using System.Text.Json;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Load;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Load;

/// <summary>The line-loss evaluation's orchestrators in process (the durable test host), on the backend's Azurite.</summary>
[Collection(BackendCollection.Name)]
public class LineLossWorkflowTests(BackendFixture backend)
{
    [Fact]
    public async Task LineLossEvaluation_InProcess_GroupsAreasPerActivityAndSumsEveryArea()
    {
        HttpClient client = backend.Client;
        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);
        // Three areas, each one customer at 0.1 kWh per slot behind a master meter at 0.105 (4.76 % loss: normal).
        List<string> areas = [];
        for (int i = 0; i < 3; i++)
        {
            (string area, string master) = await LoadAreas.NewAsync(client, 100m);
            string customer = await ReadingJson.CreateMeterAsync(client, area);
            HttpResponseMessage pushed = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(ReadingJson.Combine(
                ReadingJson.Document(customer, day, ReadingJson.Day(0.1m)), ReadingJson.Document(master, day, ReadingJson.Day(0.105m)))));
            Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
            areas.Add(area);
        }

        await using ServiceProvider provider = backend.AppServices(new Dictionary<string, string?> { ["Load:AreasPerBatch"] = "2", ["Load:AreasPerActivity"] = "1" });
        LineLossWorkflow workflow = ActivatorUtilities.CreateInstance<LineLossWorkflow>(provider);

        await using DurableTaskTestHost host = await InProcessDurable.StartAsync(registry => registry
            .AddOrchestratorFunc<LineLossEvaluationInput, LineLossSummary>(nameof(LineLossWorkflow.LineLossEvaluation), (context, _) => LineLossWorkflow.LineLossEvaluation(context))
            .AddOrchestratorFunc<LineLossBatchInput, LineLossSummary>(nameof(LineLossWorkflow.LineLossEvaluationBatch), (context, _) => LineLossWorkflow.LineLossEvaluationBatch(context))
            .AddActivityFunc<LineLossEvaluationInput, IReadOnlyList<string[][]>>(nameof(LineLossWorkflow.ListLineLossAreas), (_, input) => workflow.ListLineLossAreas(input))
            .AddActivityFunc<LineLossAreasInput, LineLossSummary>(nameof(LineLossWorkflow.EvaluateAreasLineLoss), (_, input) => workflow.EvaluateAreasLineLoss(input)));

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(LineLossWorkflow.LineLossEvaluation), new LineLossEvaluationInput(day, areas));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        LineLossSummary summary = done.ReadOutputAs<LineLossSummary>()!;
        Assert.Equal((3, 3, 0, 0), (summary.Areas, summary.Computable, summary.High, summary.Negative));
        IReadOnlyList<string[][]> plan = await workflow.ListLineLossAreas(new LineLossEvaluationInput(day, areas));
        Assert.Equal([2, 1], plan.Select(batch => batch.Length));
        Assert.All(plan.SelectMany(batch => batch), group => Assert.Single(group));
        foreach (string area in areas)
        {
            JsonElement stored = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/areas/{area}/line-loss?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}", UriKind.Relative))).RootElement.GetProperty("days")[0];
            Assert.Equal(("Normal", Math.Round(0.005m / 0.105m, 4, MidpointRounding.AwayFromZero)), (stored.GetProperty("class").GetString(), stored.GetProperty("lossRate").GetDecimal()));
        }
    }
}
