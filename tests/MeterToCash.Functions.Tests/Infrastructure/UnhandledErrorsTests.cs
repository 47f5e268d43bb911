using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>
/// What a caller gets when a function throws: the payment contract's section 3 wants every 4xx/5xx body to carry a stable
/// <c>code</c>, including the server's own 500, 413 and 400.
/// </summary>
public class UnhandledErrorsTests
{
    [Fact]
    public void Problem_UnexpectedException_500InternalErrorWithCorrelationIdAndNothingInternal()
    {
        ObjectResult result = UnhandledErrors.Problem(new InvalidOperationException("table ChannelTxns said no"), new DefaultHttpContext(), NullLogger.Instance);

        ProblemDetails problem = Assert.IsType<ProblemDetails>(result.Value);
        Assert.Equal(StatusCodes.Status500InternalServerError, result.StatusCode);
        Assert.Equal("internal-error", problem.Extensions["code"]);
        Assert.NotNull(problem.Extensions["correlationId"]);
        Assert.DoesNotContain("ChannelTxns", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(413, "body-too-large")]
    [InlineData(400, "invalid-request")]
    public void Problem_BodyTheServerRefused_StatusWithStableCode(int status, string code)
    {
        Exception refused = status == 413 ? new BodyTooLargeException() : new BadHttpRequestException("bad framing", status);

        ObjectResult result = UnhandledErrors.Problem(refused, new DefaultHttpContext(), NullLogger.Instance);

        ProblemDetails problem = Assert.IsType<ProblemDetails>(result.Value);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(code, problem.Extensions["code"]);
    }
}
