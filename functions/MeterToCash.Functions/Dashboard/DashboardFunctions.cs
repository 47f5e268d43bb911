using System.Collections.Frozen;
using System.Reflection;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Dashboard;

/// <summary>
/// <c>GET /api/dashboard/{*path}</c>: the operations dashboard's static files (HTML, CSS, JS, the vendored Chart.js).
/// </summary>
/// <remarks>
/// The files under <c>Dashboard/wwwroot</c> are compiled into this assembly as embedded resources (see the csproj), so the
/// same function serves them on Azure and on the LocalHost with nothing to copy or configure, and no request can reach
/// the file system: a path is looked up in the fixed set of embedded names, so traversal (<c>..</c>, encoded or not),
/// absolute paths and unknown names are all 404 problems. The route is anonymous because a browser cannot send a key
/// with a page navigation; the files hold no data and no key: the page asks the operator for the function key once per
/// browser session and sends it as <c>x-functions-key</c> on its calls to the app's own APIs.
/// </remarks>
public sealed class DashboardFunctions
{
    /// <summary>Prefix of the embedded resources' logical names (set in the csproj).</summary>
    internal const string ResourcePrefix = "dashboard/";

    const int MaxPathLength = 200;

    static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Served path (relative to the dashboard, e.g. <c>vendor/chart.js/chart.umd.min.js</c>) → file bytes, read once.</summary>
    static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(LoadFiles);

    [Function(nameof(Dashboard))]
    public IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest request,
        string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            // /api/dashboard → /api/dashboard/index.html, so the page's relative links (app.js, ../alarms) resolve under /api;
            // the query (?area=…&day=…, which preselects) goes along.
            return new RedirectResult($"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/index.html{request.QueryString}", permanent: false);
        }

        if (path.Length > MaxPathLength || !Files.Value.TryGetValue(path, out byte[]? bytes)
            || !ContentTypes.TryGetValue(Path.GetExtension(path), out string? contentType))
        {
            return Problems.NotFound("The dashboard has no such file.");
        }

        // The files change only with a deployment; a short cache keeps a reload cheap without serving an old page for long.
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        request.HttpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return new FileContentResult(bytes, contentType);
    }

    /// <summary>The served paths, for tests and the start-up listing.</summary>
    internal static IReadOnlyCollection<string> Paths => Files.Value.Keys;

    static FrozenDictionary<string, byte[]> LoadFiles()
    {
        Assembly assembly = typeof(DashboardFunctions).Assembly;
        Dictionary<string, byte[]> files = new(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using MemoryStream copy = new();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..]] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
