namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>Paths of the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the tests start the LocalHost built in the same configuration as themselves.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string LocalHostDll => Path.Combine(Root, "functions", "MeterToCash.LocalHost", "bin", Configuration, "net10.0", "MeterToCash.LocalHost.dll");

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

        throw new InvalidOperationException("Tests must run inside the repository (Serverless.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
