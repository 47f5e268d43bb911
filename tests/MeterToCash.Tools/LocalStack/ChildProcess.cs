using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeterToCash.Tools.LocalStack;

/// <summary>A process the tests start and own, with its output kept for failure messages.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    ChildProcess(Process process)
    {
        this.process = process;
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        ProcessStartInfo info = new(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> pair in environment ?? new Dictionary<string, string>())
        {
            info.Environment[pair.Key] = pair.Value;
        }

        Process process = new() { StartInfo = info };
        ChildProcess child = new(process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => process.HasExited;

    /// <summary>The exit code once <see cref="HasExited"/>.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>CPU time used so far by all of the process's threads (user + kernel), for load drivers' per-value CPU figures.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public string Output => string.Join(Environment.NewLine, output);

    void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 400)
        {
            output.TryDequeue(out _);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a host crashes or is evicted.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>SIGINT, then waits up to <paramref name="wait"/> for the process to shut down by itself (so e.g. node writes a <c>--cpu-prof</c> profile).</summary>
    public void Interrupt(TimeSpan wait)
    {
        if (!process.HasExited)
        {
            using Process signal = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            signal.WaitForExit();
            process.WaitForExit(wait);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        process.Dispose();
    }

    public static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
