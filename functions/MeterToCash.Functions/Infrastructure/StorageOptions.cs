using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// The app's own storage account, named like a Functions connection: locally a connection string in
/// <c>MeterToCashStorage</c>; in Azure identity-based, <c>MeterToCashStorage__tableServiceUri</c>,
/// <c>__blobServiceUri</c>, <c>__queueServiceUri</c> and optionally <c>__clientId</c> (user-assigned identity).
/// </summary>
public static class StorageRegistration
{
    public const string ConnectionName = "MeterToCashStorage";

    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(ConnectionName);
        string? connectionString = section.Value;

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton(new TableServiceClient(connectionString));
            services.AddSingleton(new BlobServiceClient(connectionString));
            services.AddSingleton(new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
            return services;
        }

        string? clientId = section["clientId"];
        TokenCredential credential = string.IsNullOrEmpty(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        services.AddSingleton(new TableServiceClient(RequiredUri(section, "tableServiceUri"), credential));
        services.AddSingleton(new BlobServiceClient(RequiredUri(section, "blobServiceUri"), credential));
        services.AddSingleton(new QueueServiceClient(RequiredUri(section, "queueServiceUri"), credential, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        return services;
    }

    static Uri RequiredUri(IConfigurationSection section, string key) =>
        Uri.TryCreate(section[key], UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new InvalidOperationException($"Storage connection '{ConnectionName}' needs either a connection string or '{ConnectionName}__{key}'.");
}
