using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// What the table client itself costs per entity written in a transaction: <c>Azure.Data.Tables</c> (what the pipeline
/// and the ingestion ceiling use) against a minimal hand-written OData <c>$batch</c> of the same entities, on the same
/// Azurite, in alternating rounds. It measures the one lever the brief's SDK decision closes, to say what it would buy;
/// the product does not use the minimal writer.
/// </summary>
internal static class TableWriteCost
{
    const int Parallelism = 8;

    static readonly HttpClient Http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });

    public static async Task RunAsync(int meters, int areas, int rounds, int warmup)
    {
        Console.WriteLine($"Table write cost: {meters:N0} curve entities per round (as the ingestion ceiling: ~400-byte curve, 100 per transaction, {Parallelism} in flight), {warmup} warm-up + {rounds} measured rounds per client; {Environment.ProcessorCount} cores");
        await using Azurite azurite = await Azurite.StartAsync();
        TableServiceClient tables = new(azurite.ConnectionString);
        List<Round> sdk = [], minimal = [];
        for (int round = 1; round <= warmup + rounds; round++)
        {
            // Alternating, so a slow stretch of the machine falls on both clients alike.
            foreach (bool useSdk in new[] { true, false })
            {
                Round r = await RoundAsync(azurite, tables, $"{(useSdk ? "Sdk" : "Minimal")}{round}", meters, areas, useSdk);
                string phase = round <= warmup ? "warm-up" : "measured";
                Console.WriteLine($"  {(useSdk ? "Azure.Data.Tables" : "minimal $batch  ")} round {round,2} ({phase}): {r.EntitiesPerSecond,7:N0} entities/s; CPU per entity: client {r.ClientMicros,6:N1} µs, Azurite {r.AzuriteMicros,6:N1} µs");
                if (round > warmup)
                {
                    (useSdk ? sdk : minimal).Add(r);
                }
            }
        }

        Round Median(List<Round> list) => new(
            list.Select(r => r.EntitiesPerSecond).Order().ElementAt(list.Count / 2),
            list.Select(r => r.ClientMicros).Order().ElementAt(list.Count / 2),
            list.Select(r => r.AzuriteMicros).Order().ElementAt(list.Count / 2));
        Round s = Median(sdk), m = Median(minimal);
        Console.WriteLine($"  median, Azure.Data.Tables: client {s.ClientMicros:N1} µs per entity = {s.ClientMicros / 96:N2} µs per value; Azurite {s.AzuriteMicros / 96:N2} µs per value; {s.EntitiesPerSecond * 96:N0} values/s");
        Console.WriteLine($"  median, minimal $batch:    client {m.ClientMicros:N1} µs per entity = {m.ClientMicros / 96:N2} µs per value; Azurite {m.AzuriteMicros / 96:N2} µs per value; {m.EntitiesPerSecond * 96:N0} values/s");
        Console.WriteLine($"  the SDK's own cost: {(s.ClientMicros - m.ClientMicros) / 96:N2} µs per value stored");
    }

    readonly record struct Round(double EntitiesPerSecond, double ClientMicros, double AzuriteMicros);

    static async Task<Round> RoundAsync(Azurite azurite, TableServiceClient tables, string name, int meters, int areas, bool useSdk)
    {
        TableClient table = tables.GetTableClient(name);
        await table.CreateIfNotExistsAsync();
        List<TableEntity[]> batches = IngestionLoad.CeilingBatches(meters, areas);
        TimeSpan client0 = Process.GetCurrentProcess().TotalProcessorTime, azurite0 = azurite.CpuTime;
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, ct) =>
        {
            if (useSdk)
            {
                await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
            }
            else
            {
                await MinimalBatchAsync(azurite, name, batch, ct);
            }
        });
        clock.Stop();
        TimeSpan client = Process.GetCurrentProcess().TotalProcessorTime - client0, used = azurite.CpuTime - azurite0;

        // Both clients must have stored every entity, read back through the SDK, or the comparison means nothing.
        int stored = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            stored++;
        }

        await table.DeleteAsync();
        return stored == meters
            ? new Round(meters / clock.Elapsed.TotalSeconds, client.TotalMicroseconds / meters, used.TotalMicroseconds / meters)
            : throw new InvalidOperationException($"{name}: {stored} of {meters} entities stored.");
    }

    /// <summary>
    /// One changeset of upserts (replace), written as the Table service's batch protocol defines it, signed with
    /// SharedKeyLite; every sub-response must be 204, as a changeset is all or nothing.
    /// </summary>
    static async Task MinimalBatchAsync(Azurite azurite, string table, TableEntity[] batch, CancellationToken cancellationToken)
    {
        string endpoint = azurite.TableEndpoint.ToString().TrimEnd('/');
        string batchBoundary = "batch_" + Guid.NewGuid().ToString("N"), changeset = "changeset_" + Guid.NewGuid().ToString("N");
        StringBuilder body = new(batch.Length * 1_200);
        body.Append("--").Append(batchBoundary).Append("\r\nContent-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (TableEntity e in batch)
        {
            body.Append("--").Append(changeset).Append("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append("PUT ").Append(endpoint).Append('/').Append(table)
                .Append("(PartitionKey='").Append(e.PartitionKey.Replace("'", "''", StringComparison.Ordinal))
                .Append("',RowKey='").Append(e.RowKey.Replace("'", "''", StringComparison.Ordinal)).Append("') HTTP/1.1\r\n")
                .Append("Content-Type: application/json\r\nAccept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0\r\n\r\n")
                .Append("{\"PartitionKey\":\"").Append(e.PartitionKey).Append("\",\"RowKey\":\"").Append(e.RowKey)
                .Append("\",\"Curve@odata.type\":\"Edm.Binary\",\"Curve\":\"").Append(Convert.ToBase64String(e.GetBinary("Curve")!))
                .Append("\",\"Meter\":\"").Append(e.GetString("Meter")).Append("\",\"Revision\":").Append(e.GetInt32("Revision")!.Value.ToString(CultureInfo.InvariantCulture)).Append("}\r\n");
        }

        body.Append("--").Append(changeset).Append("--\r\n--").Append(batchBoundary).Append("--\r\n");

        using HttpRequestMessage request = new(HttpMethod.Post, endpoint + "/$batch");
        string date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        // SharedKeyLite for the Table service: the date and the canonical resource (path-style: account, then the path).
        byte[] signature = HMACSHA256.HashData(Convert.FromBase64String(Azurite.AccountKey), Encoding.UTF8.GetBytes($"{date}\n/{Azurite.AccountName}{azurite.TableEndpoint.AbsolutePath.TrimEnd('/')}/$batch"));
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {Azurite.AccountName}:{Convert.ToBase64String(signature)}");
        request.Content = new StringContent(body.ToString(), Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=" + batchBoundary);
        using HttpResponseMessage response = await Http.SendAsync(request, cancellationToken);
        string answer = await response.Content.ReadAsStringAsync(cancellationToken);
        int succeeded = 0;
        for (int at = answer.IndexOf("HTTP/1.1 204", StringComparison.Ordinal); at >= 0; at = answer.IndexOf("HTTP/1.1 204", at + 1, StringComparison.Ordinal))
        {
            succeeded++;
        }

        if (response.StatusCode != HttpStatusCode.Accepted || succeeded != batch.Length)
        {
            throw new InvalidOperationException($"$batch: {(int)response.StatusCode}, {succeeded} of {batch.Length} succeeded: {answer[..Math.Min(answer.Length, 600)]}");
        }
    }
}
