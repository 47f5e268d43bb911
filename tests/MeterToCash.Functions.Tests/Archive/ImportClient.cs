using System.Text;
using System.Text.Json;

namespace MeterToCash.Functions.Tests.Archive;

/// <summary>Posts archive files and follows their imports as an operator's tool would.</summary>
internal static class ImportClient
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string csv) =>
        client.PostAsync("api/archive/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static async Task<JsonElement> WaitAsync(HttpClient client, string importId, TimeSpan timeout, Func<JsonElement, bool>? until = null)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        JsonElement status = default;
        while (DateTime.UtcNow < deadline)
        {
            HttpResponseMessage response = await client.GetAsync($"api/archive/imports/{importId}");
            if (response.IsSuccessStatusCode)
            {
                status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (until?.Invoke(status) ?? status.GetProperty("status").GetString() is "Completed" or "Failed" or "Terminated")
                {
                    return status;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Import {importId} did not reach the expected state in {timeout}; last status: {status}");
    }

    public static async Task<string> ImportIdAsync(HttpResponseMessage started) =>
        JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("importId").GetString()!;
}
