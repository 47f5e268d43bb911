using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace MeterToCash.LocalHost.Storage;

/// <summary>One kind of storage request and how many were sent.</summary>
/// <param name="Service">table, queue or blob.</param>
/// <param name="Resource">The table, queue or container (for a table transaction, the table its first operation names).</param>
/// <param name="Operation">For tables: point-read, query (one per page), transaction, insert, update, delete, other; otherwise the HTTP method.</param>
/// <param name="Count">Requests sent, every attempt of a retried request included.</param>
public sealed record StorageRequestCount(string Service, string Resource, string Operation, long Count);

/// <summary>
/// Counts the HTTP requests the app's own storage clients send (the clients registered with <c>AddAzureClients</c>;
/// the durable engine's are not among them), by service, table/queue/container and operation, so a driver can say how
/// many requests a piece of work costs without timing it. On when <c>LocalHost:CountStorageRequests</c> is true; read at
/// <c>GET /admin/storage-requests</c>.
/// </summary>
public sealed partial class StorageRequestCounter
{
    readonly ConcurrentDictionary<(string Service, string Resource, string Operation), long> counts = new();

    /// <summary>Adds a counting policy to a client's options (per attempt, so retries count as what the emulator sees).</summary>
    public void AttachTo(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? service = options switch
        {
            TableClientOptions => "table",
            QueueClientOptions => "queue",
            BlobClientOptions => "blob",
            _ => null,
        };
        if (service is not null)
        {
            options.AddPolicy(new CountingPolicy(this, service), HttpPipelinePosition.PerRetry);
        }
    }

    /// <summary>Every kind counted so far, in service, resource and operation order.</summary>
    public IReadOnlyList<StorageRequestCount> Snapshot() =>
        [.. counts.Select(c => new StorageRequestCount(c.Key.Service, c.Key.Resource, c.Key.Operation, c.Value))
            .OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Resource, StringComparer.Ordinal).ThenBy(c => c.Operation, StringComparer.Ordinal)];

    void Count(string service, HttpMessage message)
    {
        (string resource, string operation) = service == "table" ? TableKind(message.Request) : (FirstSegment(message.Request.Uri.Path), message.Request.Method.ToString());
        counts.AddOrUpdate((service, resource, operation), 1, (_, n) => n + 1);
    }

    /// <summary>Table requests by their URL: <c>/{account}/{table}(PartitionKey='…',RowKey='…')</c> is a point operation, <c>/{table}()</c> or a filter a query, <c>/$batch</c> a transaction.</summary>
    static (string Resource, string Operation) TableKind(Request request)
    {
        string path = request.Uri.Path;
        string last = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (last == "$batch")
        {
            return (BatchTable(request) ?? "?", "transaction");
        }

        int paren = last.IndexOf('(', StringComparison.Ordinal);
        string table = paren < 0 ? last : last[..paren];
        bool keyed = paren >= 0 && last.Contains("PartitionKey=", StringComparison.Ordinal);
        string method = request.Method.ToString();
        string operation = method switch
        {
            "GET" => keyed ? "point-read" : "query",
            "POST" => "insert",
            "PUT" or "PATCH" or "MERGE" => "update",
            "DELETE" => "delete",
            _ => "other",
        };
        return (table, operation);
    }

    /// <summary>The table a transaction writes to, from the first operation line of its multipart body.</summary>
    static string? BatchTable(Request request)
    {
        if (request.Content is null)
        {
            return null;
        }

        using MemoryStream body = new();
        request.Content.WriteTo(body, CancellationToken.None);
        Match match = BatchLine().Match(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
        return match.Success ? match.Groups["table"].Value : null;
    }

    static string FirstSegment(string path)
    {
        // Path-style (the emulator): /{account}/{queue or container}/…
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 ? segments[1] : segments.FirstOrDefault() ?? "?";
    }

    [GeneratedRegex(@"(?:POST|PUT|PATCH|MERGE|DELETE|GET) https?://\S+?/(?<table>[A-Za-z][A-Za-z0-9]*)(?:\(|\s|\?)")]
    private static partial Regex BatchLine();

    sealed class CountingPolicy(StorageRequestCounter counter, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Count(service, message);
    }
}
