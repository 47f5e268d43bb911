using MeterToCash.Functions.Infrastructure;
using MeterToCash.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>One Azurite and one LocalHost shared by the tests of a collection, with a small network archive.</summary>
public sealed class BackendFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string StorageConnectionString => Azurite.ConnectionString;

    /// <summary>
    /// The app's services composed as the app composes them (<c>AddMeterToCash</c>) on this fixture's Azurite, with
    /// <paramref name="settings"/> on top (keys as in configuration, <c>Section:Key</c>): for in-process orchestrator
    /// and service tests.
    /// </summary>
    public ServiceProvider AppServices(IReadOnlyDictionary<string, string?>? settings = null)
    {
        Dictionary<string, string?> values = new(settings ?? new Dictionary<string, string?>()) { [StorageRegistration.ConnectionName] = StorageConnectionString };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddSingleton(configuration).AddMeterToCash(configuration).BuildServiceProvider();
    }

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        // Short reference-data caches, so a recomputation started by a tariff or calendar publish runs within seconds.
        Host = await LocalHostProcess.StartAsync(Azurite, settings: new Dictionary<string, string> { ["Tariffs__CacheSeconds"] = "2", ["Calendar__CacheSeconds"] = "2" });
        Client = Host.Client();
        // Tariffs before anything creates customers: an assignment of an unknown tariff code is refused.
        await ReferenceDataSeed.SeedAsync(Host);
        await SeedNetworkAsync(Client, new DemoUtility(customers: 0, areas: 12));
    }

    internal static Task SeedNetworkAsync(HttpClient client, DemoUtility demo) => demo.SeedNetworkAsync(client);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BackendCollection : ICollectionFixture<BackendFixture>
{
    public const string Name = "backend";
}
