using MeterToCash.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Anything a function throws becomes a problem+json answer (UnhandledErrors), never a bare 500.
builder.UseMiddleware<MeterToCash.Functions.Infrastructure.UnhandledErrorsMiddleware>();
builder.Services.AddMeterToCash(builder.Configuration);
builder.Build().Run();
