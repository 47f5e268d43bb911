using System.Diagnostics;
using System.Net;
using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.LocalHost;
using MeterToCash.LocalHost.Discovery;
using MeterToCash.LocalHost.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>
/// The app's telemetry registration (<see cref="TelemetryRegistration"/>) with an in-memory exporter beside the
/// console one: the LocalHost's HTTP routes and the app's services, in this process on a loopback port, against the
/// collection's Azurite. A push over HTTP must give one trace (request → pipeline → storage calls) and the metrics.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class TelemetryTests(BackendFixture backend) : IAsyncLifetime
{
    readonly List<Activity> spans = [];
    readonly List<MetricSnapshot> metrics = [];
    WebApplication app = null!;
    HttpClient client = null!;

    public async Task InitializeAsync()
    {
        Dictionary<string, string?> settings = new()
        {
            ["MeterToCashStorage"] = backend.StorageConnectionString,
            ["Telemetry:Exporter"] = "console",
            ["LocalHost:FunctionKey"] = "telemetry-test-key",
            ["LocalHost:MasterKey"] = "telemetry-test-master",
        };
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddMvcCore();
        builder.Services.AddMeterToCash(builder.Configuration);
        builder.Services.AddOptions<FunctionKeyOptions>().BindConfiguration(FunctionKeyOptions.Section);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        app = builder.Build();
        app.MapHttpFunctions(FunctionCatalog.Discover(LocalFunctionsRuntime.FunctionsAssembly));
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Add("x-functions-key", "telemetry-test-key");
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Telemetry_PushOverHttp_OneTraceFromRequestThroughPipelineToStorage()
    {
        string meter = await ReadingJson.CreateMeterAsync(backend.Client);
        HttpResponseMessage response = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(ReadingJson.Document(meter, new DateOnly(2025, 7, 1), ReadingJson.Day(0.25m))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The server span ends (and is exported) just after the answer is sent, so wait for it; the rest ended before.
        Activity[] exported = await UntilAsync(() => Snapshot(spans), all => all.Any(IsPushRequest));
        Activity request = Assert.Single(exported, IsPushRequest);
        Activity pipeline = Assert.Single(exported, s => s.Source.Name == MeterToCashTelemetry.Name && s.OperationName == "ReadingPipeline.Process");
        Assert.Equal(request.SpanId, pipeline.ParentSpanId);
        Assert.Equal("http", pipeline.GetTagItem("metertocash.source"));

        // The storage calls of the run are children of the pipeline span: the raw blob, then the curve and totals tables.
        List<Activity> storage = exported.Where(s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && IsBelow(s, pipeline)).ToList();
        Assert.Contains(storage, s => s.Source.Name.StartsWith("Azure.Storage.Blobs", StringComparison.Ordinal));
        Assert.Contains(storage, s => s.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        Assert.All(storage, s => Assert.Equal(request.TraceId, s.TraceId));
    }

    [Fact]
    public async Task Telemetry_PushWithNegativeValue_IngestionQuarantineAndRequestMetricsRecorded()
    {
        string meter = await ReadingJson.CreateMeterAsync(backend.Client);
        decimal?[] values = ReadingJson.Day(0.25m);
        values[7] = -1m;
        HttpResponseMessage response = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(ReadingJson.Document(meter, new DateOnly(2025, 7, 2), values)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // ASP.NET Core records the request duration just after the answer is sent: export until it is there.
        MeterProvider meters = app.Services.GetRequiredService<MeterProvider>();
        await UntilAsync(() => meters.ForceFlush() && Points("http.server.request.duration").Any(p => Tag(p, "http.route") == "api/meter-readings"), found => found);

        Assert.Equal(95, Sum("metertocash.ingestion.items", ("status", "Accepted"), ("source", "http")));
        Assert.Equal(1, Sum("metertocash.ingestion.items", ("status", "Quarantined"), ("source", "http")));
        Assert.Equal(1, Sum("metertocash.ingestion.quarantined", ("reason", "NegativeConsumption"), ("source", "http")));

        // Request latency per endpoint: ASP.NET Core's histogram, by route template.
        MetricPoint latency = Points("http.server.request.duration").Single(p => Tag(p, "http.route") == "api/meter-readings" && Tag(p, "http.request.method") == "POST");
        Assert.Equal(1, latency.GetHistogramCount());
        Assert.True(latency.GetHistogramSum() > 0);
    }

    static bool IsPushRequest(Activity span) => span.Kind == ActivityKind.Server && span.DisplayName.Contains("api/meter-readings", StringComparison.Ordinal);

    /// <summary>A copy of what the exporter has collected so far (it appends from the thread that ends a span).</summary>
    static T[] Snapshot<T>(List<T> exported)
    {
        while (true)
        {
            try
            {
                return [.. exported];
            }
            catch (InvalidOperationException)
            {
                // Appended to while copying: copy again.
            }
            catch (ArgumentException)
            {
            }
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds or 15 s pass; returns the last reading either way (the assertions then say what is missing).</summary>
    static async Task<T> UntilAsync<T>(Func<T> read, Func<T, bool> done)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        T value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = read();
        }

        return value;
    }

    static bool IsBelow(Activity span, Activity ancestor)
    {
        for (Activity? parent = span.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Points of the last export of an instrument (cumulative: the last snapshot holds the totals).</summary>
    IEnumerable<MetricPoint> Points(string name) => Snapshot(metrics).LastOrDefault(m => m.Name == name)?.MetricPoints ?? [];

    long Sum(string name, params (string Key, string Value)[] tags) =>
        Points(name).Where(p => tags.All(t => Tag(p, t.Key) == t.Value)).Sum(p => p.GetSumLong());

    static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
