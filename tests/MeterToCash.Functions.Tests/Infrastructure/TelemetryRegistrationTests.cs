using Azure.Identity;
using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>Which telemetry the settings turn on, and how the Entra ID setting of Application Insights is read.</summary>
public sealed class TelemetryRegistrationTests
{
    static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddTelemetry(configuration).BuildServiceProvider();
    }

    [Fact]
    public void AddTelemetry_NoSettings_RegistersNoTracerProvider()
    {
        using ServiceProvider services = Build([]);

        Assert.Null(services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("console")]
    [InlineData("otlp")]
    [InlineData("Console")]
    public void AddTelemetry_LocalExporter_RegistersTracerProvider(string exporter)
    {
        using ServiceProvider services = Build(new() { ["Telemetry:Exporter"] = exporter });

        Assert.NotNull(services.GetService<TracerProvider>());
    }

    [Fact]
    public void AddTelemetry_UnknownExporter_FailsNamingTheSetting()
    {
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Telemetry:Exporter"] = "zipkin" }));

        Assert.Contains("Telemetry__Exporter", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555", true, "11111111-2222-3333-4444-555555555555")]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", true, "11111111-2222-3333-4444-555555555555")]
    [InlineData(" authorization = aad ", true, null)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555", false, null)]
    [InlineData("", false, null)]
    [InlineData(null, false, null)]
    public void EntraAuthentication_Parse_ReadsAuthorizationAndClientId(string? value, bool enabled, string? clientId)
    {
        Assert.Equal(new EntraAuthentication(enabled, clientId), EntraAuthentication.Parse(value));
    }

    [Fact]
    public void EntraAuthentication_Enabled_SendsWithManagedIdentity()
    {
        Assert.IsType<ManagedIdentityCredential>(EntraAuthentication.Parse("Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555").Credential());
        Assert.IsType<ManagedIdentityCredential>(EntraAuthentication.Parse("Authorization=AAD").Credential());
        Assert.Null(EntraAuthentication.Parse("").Credential());
    }
}
