using System.Net;
using System.Text.Json;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>Reads an RFC 9457 problem response and checks it names a field and rule.</summary>
internal static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null, string? rule = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null || rule is not null)
        {
            List<(string Field, string Rule)> errors = problem.GetProperty("errors").EnumerateArray()
                .Select(e => (e.GetProperty("field").GetString()!, e.GetProperty("rule").GetString()!)).ToList();
            Assert.True(errors.Any(e => (field is null || e.Field == field) && (rule is null || e.Rule == rule)),
                $"Expected an error on '{field}' for rule '{rule}', got: {string.Join("; ", errors)}");
        }

        return problem;
    }
}
