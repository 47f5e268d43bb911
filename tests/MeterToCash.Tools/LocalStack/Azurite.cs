namespace MeterToCash.Tools.LocalStack;

/// <summary>An Azurite instance on free loopback ports, in memory, for one fixture.</summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>The emulator's well-known account name.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's well-known account key (public, the same on every machine).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    ChildProcess? process;

    Azurite(int blobPort, int queuePort, int tablePort)
    {
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The table service's base address, path-style: <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};TableEndpoint={TableEndpoint};";

    public static async Task<Azurite> StartAsync()
    {
        if (!File.Exists(Repository.Azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {Repository.Azurite}: run 'npm ci' in the repository root (test.sh and run.sh do).");
        }

        Azurite azurite = new(ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort());
        azurite.process = ChildProcess.Start("node",
        [
            Repository.Azurite, "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", azurite.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", azurite.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", azurite.TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);

        using HttpClient http = new() { Timeout = TimeSpan.FromSeconds(2) };
        // About a minute: on a shared 2-core machine under heavy load node takes well over 20 s to listen.
        for (int attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                // Any HTTP answer means it is listening.
                await http.GetAsync($"http://127.0.0.1:{azurite.TablePort}/devstoreaccount1");
                return azurite;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        string log = azurite.process.Output;
        await azurite.DisposeAsync();
        throw new InvalidOperationException("Azurite did not start: " + log);
    }

    public void Stop() => process?.Kill();

    /// <summary>CPU time Azurite has used so far.</summary>
    public TimeSpan CpuTime => process?.CpuTime ?? TimeSpan.Zero;

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }
    }
}
