using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Payments;

/// <summary>The payment sweep: finishes (or withdraws) transactions whose request stopped midway, and purges expired nonces.</summary>
public sealed class PaymentTimers(ChannelDirectory channels, PaymentPoster poster, ChannelRequestVerifier verifier, ILogger<PaymentTimers> logger)
{
    /// <summary>
    /// Every minute (<c>Payments__SweepSchedule</c>): for every configured channel and registered kiosk, the pending
    /// markers older than <c>Payments__PendingStaleSeconds</c> are resolved; expired nonces are deleted.
    /// </summary>
    [Function(nameof(SweepPayments))]
    public async Task SweepPayments([TimerTrigger("%Payments__SweepSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        int resolved = 0;
        List<PaymentChannel> all = [.. channels.Configured];
        foreach (string kiosk in await channels.KioskIdsAsync(cancellationToken))
        {
            if (await channels.FindKioskAsync(kiosk, cancellationToken) is { } device)
            {
                all.Add(device);
            }
        }

        foreach (PaymentChannel channel in all)
        {
            resolved += (await poster.ResolveStaleAsync(channel, null, null, all: false, cancellationToken)).Resolved;
        }

        int purged = await verifier.PurgeNoncesAsync(cancellationToken);
        logger.Swept(resolved, purged);
    }
}
