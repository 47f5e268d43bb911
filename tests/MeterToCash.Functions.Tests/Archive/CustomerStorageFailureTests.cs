using System.Net;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Archive;

/// <summary>Storage failing under a list: the caller gets a 500 problem with a correlation id, never a 400 blaming its input.</summary>
public class CustomerStorageFailureTests
{
    [Fact]
    public async Task ListCustomers_StorageDownWithAValidToken_Returns500ProblemWithCorrelationIdNot400()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite);
        using HttpClient client = host.Client();
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, new DemoUtility(customers: 0, areas: 1));
        for (int i = 0; i < 2; i++)
        {
            (string account, string meter) = CustomerJson.NextIds();
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)))).StatusCode);
        }

        JsonElement page = JsonDocument.Parse(await client.GetStringAsync("api/customers?pageSize=1")).RootElement;
        string token = page.GetProperty("continuationToken").GetString()!;

        azurite.Stop();
        HttpResponseMessage withToken = await client.GetAsync("api/customers?pageSize=1&continuationToken=" + Uri.EscapeDataString(token));
        HttpResponseMessage withoutToken = await client.GetAsync("api/customers");

        foreach (HttpResponseMessage response in new[] { withToken, withoutToken })
        {
            JsonElement problem = await Problem.AssertAsync(response, HttpStatusCode.InternalServerError);
            string correlationId = problem.GetProperty("correlationId").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(correlationId));
            // The host writes its log line asynchronously: wait for it (readiness, not a fixed sleep), then assert.
            for (DateTime giveUp = DateTime.UtcNow.AddSeconds(30); !host.Output.Contains(correlationId, StringComparison.Ordinal) && DateTime.UtcNow < giveUp;)
            {
                await Task.Delay(100);
            }

            Assert.Contains(correlationId, host.Output, StringComparison.Ordinal);
            string body = problem.GetRawText();
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        }
    }
}
