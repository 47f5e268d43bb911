using Azure.Core;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// The app's own storage account, named like a Functions connection: locally a connection string in
/// <c>MeterToCashStorage</c>; in Azure identity-based, <c>MeterToCashStorage__tableServiceUri</c>,
/// <c>__blobServiceUri</c>, <c>__queueServiceUri</c> and optionally <c>__clientId</c> (user-assigned identity).
/// The clients are registered with Microsoft.Extensions.Azure (<c>AddAzureClients</c>): one singleton each, with the
/// SDK's retry and logging integration, resolvable as <c>TableServiceClient</c>, <c>BlobServiceClient</c> and
/// <c>QueueServiceClient</c>.
/// </summary>
public static class StorageRegistration
{
    public const string ConnectionName = "MeterToCashStorage";

    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(ConnectionName);
        string? connectionString = section.Value;
        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                clients.AddTableServiceClient(connectionString);
                clients.AddBlobServiceClient(connectionString);
                clients.AddQueueServiceClient(connectionString).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
                return;
            }

            string? clientId = section["clientId"];
            TokenCredential credential = string.IsNullOrEmpty(clientId)
                ? new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            clients.UseCredential(credential);
            clients.AddTableServiceClient(RequiredUri(section, "tableServiceUri"));
            clients.AddBlobServiceClient(RequiredUri(section, "blobServiceUri"));
            clients.AddQueueServiceClient(RequiredUri(section, "queueServiceUri")).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
        });
        return services;
    }

    static Uri RequiredUri(IConfigurationSection section, string key) =>
        Uri.TryCreate(section[key], UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new InvalidOperationException($"Storage connection '{ConnectionName}' needs either a connection string or '{ConnectionName}__{key}'.");
}
