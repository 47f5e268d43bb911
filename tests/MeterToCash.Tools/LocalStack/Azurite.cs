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

    /// <summary>
    /// Extra node options from <c>AZURITE_NODE_ARGS</c> (space-separated), e.g. <c>--cpu-prof --cpu-prof-dir=/tmp/prof</c>
    /// to profile Azurite under a load driver; with any set, Azurite is stopped with SIGINT so the profile gets written.
    /// </summary>
    static readonly string[] NodeArguments = Environment.GetEnvironmentVariable("AZURITE_NODE_ARGS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public static async Task<Azurite> StartAsync()
    {
        if (!File.Exists(Repository.Azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {Repository.Azurite}: run 'npm ci' in the repository root (test.sh and run.sh do).");
        }

        Azurite azurite = new(ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort());
        azurite.process = ChildProcess.Start("node",
        [
            .. NodeArguments,
            Repository.Azurite, "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", azurite.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", azurite.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", azurite.TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);

        await azurite.WaitUntilReadyAsync();
        return azurite;
    }

    /// <summary>
    /// Waits until the blob, queue and table services each answer an HTTP request (any status: the emulator is
    /// listening). The wait ends on readiness, on the process exiting, or after <see cref="Readiness.StartBudget"/>, which is
    /// generous because a loaded build machine can take a minute to start node; a timeout names the services that did not
    /// answer and shows the emulator's output.
    /// </summary>
    async Task WaitUntilReadyAsync()
    {
        (string Name, int Port)[] services = [("blob", BlobPort), ("queue", QueuePort), ("table", TablePort)];
        HashSet<string> waiting = [.. services.Select(s => s.Name)];
        using HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };
        DateTime deadline = DateTime.UtcNow + Readiness.StartBudget;
        while (DateTime.UtcNow < deadline && !process!.HasExited)
        {
            foreach ((string name, int port) in services.Where(s => waiting.Contains(s.Name)))
            {
                try
                {
                    using HttpResponseMessage _ = await http.GetAsync($"http://127.0.0.1:{port}/{AccountName}?comp=list");
                    waiting.Remove(name);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
            }

            if (waiting.Count == 0)
            {
                return;
            }

            await Task.Delay(250);
        }

        string why = process!.HasExited
            ? $"Azurite exited (code {process.ExitCode}) before its {string.Join(", ", waiting)} service(s) answered"
            : $"Azurite's {string.Join(", ", waiting)} service(s) did not answer within {Readiness.StartBudget.TotalSeconds:0} s";
        string log = process.Output;
        await DisposeAsync();
        throw new InvalidOperationException($"{why}. Its output:\n{(log.Length == 0 ? "(none)" : log)}");
    }

    public void Stop() => process?.Kill();

    /// <summary>CPU time Azurite has used so far.</summary>
    public TimeSpan CpuTime => process?.CpuTime ?? TimeSpan.Zero;

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (NodeArguments.Length > 0)
            {
                // Profiling: let node shut down by itself so it writes what it was asked to (e.g. --cpu-prof).
                process.Interrupt(TimeSpan.FromSeconds(60));
            }

            await process.DisposeAsync();
        }
    }
}
