using System.Net.Http.Headers;

namespace MeterToCash.Tools.LocalStack;

/// <summary>The real LocalHost, as a child process on a free port, against a given Azurite and task hub (tests and load drivers).</summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    public const string FunctionKey = "test-function-key";
    public const string MasterKey = "test-master-key";

    readonly Dictionary<string, string> environment;
    ChildProcess? process;

    LocalHostProcess(int port, Dictionary<string, string> environment)
    {
        Port = port;
        this.environment = environment;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string Output => process?.Output ?? string.Empty;

    public static async Task<LocalHostProcess> StartAsync(Azurite azurite, string? hubName = null, IDictionary<string, string>? settings = null)
    {
        Dictionary<string, string> environment = new()
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["MeterToCashStorage"] = azurite.ConnectionString,
            ["DurableTaskHubName"] = hubName ?? "t" + Guid.NewGuid().ToString("N")[..12],
            ["LocalHost__FunctionKey"] = FunctionKey,
            ["LocalHost__MasterKey"] = MasterKey,
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (KeyValuePair<string, string> pair in settings ?? new Dictionary<string, string>())
        {
            environment[pair.Key] = pair.Value;
        }

        LocalHostProcess host = new(ChildProcess.FreePort(), environment);
        await host.StartAsync();
        return host;
    }

    /// <summary>Starts (or restarts, after <see cref="Kill"/>) the process and waits for a healthy answer.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(Repository.LocalHostDll))
        {
            throw new InvalidOperationException($"The LocalHost is not built at {Repository.LocalHostDll}.");
        }

        process = ChildProcess.Start("dotnet", [Repository.LocalHostDll, "--urls", $"http://127.0.0.1:{Port}"], environment);
        // Ready means /api/health answers 200: the host is up and its probes of tables, blobs, queues and the durable
        // engine all succeeded. Bounded by readiness, not by a short fixed budget: on a loaded machine the JIT and the
        // task hub's creation can take a minute, so the only limit is Readiness.StartBudget (or the process exiting).
        using HttpClient http = new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        DateTime deadline = DateTime.UtcNow + Readiness.StartBudget;
        string lastAnswer = "no answer (not listening yet)";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The LocalHost exited at start-up (code {process.ExitCode}). Its output:\n" + process.Output);
            }

            try
            {
                using HttpResponseMessage health = await http.GetAsync("api/health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }

                // 503 names the dependency that is not answering (tables, blobs, queues or durable).
                lastAnswer = $"{(int)health.StatusCode}: {await health.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lastAnswer = "no answer: " + e.GetType().Name;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException(
            $"The LocalHost did not become healthy within {Readiness.StartBudget.TotalSeconds:0} s; its last health answer was {lastAnswer}. Its output:\n" + process.Output);
    }

    public void Kill() => process?.Kill();

    /// <summary>CPU time the LocalHost has used so far (since its last start).</summary>
    public TimeSpan CpuTime => process?.CpuTime ?? TimeSpan.Zero;

    /// <summary>A client as a back-office system holds it: with the function key.</summary>
    public HttpClient Client(string? key = FunctionKey)
    {
        HttpClient http = new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }
    }
}
