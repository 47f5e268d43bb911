using MeterToCash.Functions;
using MeterToCash.LocalHost;
using MeterToCash.LocalHost.Configuration;
using MeterToCash.LocalHost.Discovery;
using MeterToCash.LocalHost.Http;
using MeterToCash.LocalHost.Storage;
using Microsoft.Extensions.Azure;

try
{
    IReadOnlyList<FunctionDescriptor> functions = FunctionCatalog.Discover(LocalFunctionsRuntime.FunctionsAssembly);

    WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddLocalSettings(args);
    if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    {
        builder.WebHost.UseUrls(builder.Configuration["LocalHost:Urls"] ?? "http://127.0.0.1:7071");
    }

    // The request length limit of the Functions host on Azure (104,857,600 bytes; FUNCTIONS_REQUEST_BODY_SIZE_LIMIT)
    // instead of Kestrel's default 30,000,000, so every endpoint's own, smaller limit decides as it does on Azure.
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("LocalHost:MaxRequestBodyBytes") ?? 104_857_600);

    // The Functions host's ASP.NET Core integration executes IActionResult with MVC's result executors.
    builder.Services.AddMvcCore();
    builder.Services.AddMeterToCash(builder.Configuration);
    if (builder.Configuration.GetValue<bool>("LocalHost:CountStorageRequests"))
    {
        StorageRequestCounter counter = new();
        builder.Services.AddSingleton(counter);
        builder.Services.AddAzureClients(clients => clients.ConfigureDefaults(counter.AttachTo));
    }

    builder.Services.AddLocalFunctionsRuntime(functions, builder.Configuration);

    WebApplication app = builder.Build();
    IReadOnlyList<string> routes = app.MapHttpFunctions(functions);
    app.MapAdminEndpoints(functions);

    app.Lifetime.ApplicationStarted.Register(() =>
    {
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeterToCash.LocalHost");
        foreach (string line in routes.Concat(functions.Where(f => f.Trigger != TriggerKind.Http).Select(f => $"{f.Trigger,-16} {f.Name}")))
        {
            logger.LogInformation("  {Function}", line);
        }

        logger.LogInformation("LocalHost listening on {Urls} with {Count} functions", string.Join(", ", app.Urls), functions.Count);
    });

    await app.RunAsync();
    return 0;
}
catch (FunctionBindingException e)
{
    await Console.Error.WriteLineAsync($"LocalHost cannot start: {e.Message}");
    return 2;
}
