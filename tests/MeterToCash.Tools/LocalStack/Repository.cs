namespace MeterToCash.Tools.LocalStack;

/// <summary>Paths of the repository the tests and benchmarks run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the caller starts the LocalHost built in the same configuration as itself.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// The LocalHost build the tests and drivers start: <c>LOCALHOST_DLL</c> when set (a load driver against a ReadyToRun
    /// publish, say), else the build in <see cref="Configuration"/>.
    /// </summary>
    public static string LocalHostDll =>
        Environment.GetEnvironmentVariable("LOCALHOST_DLL") is { Length: > 0 } dll
            ? dll
            : Path.Combine(Root, "functions", "MeterToCash.LocalHost", "bin", Configuration, "net10.0", "MeterToCash.LocalHost.dll");

    public static string Azurite => Path.Combine(Root, "node_modules", "azurite", "dist", "src", "azurite.js");

    static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run inside the repository (Serverless.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
