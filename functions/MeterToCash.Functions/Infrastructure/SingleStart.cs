using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// Starts an orchestration whose instance id is derived from its content (a file's hash) exactly once, however many
/// callers send the same content at the same moment: exactly one of them is told it started the run (202), every other
/// one that it joined a known run (200, same id).
/// </summary>
/// <remarks>
/// Scheduling the same instance id twice does not fail in the Durable Task storage provider while the first is still
/// pending, so the scheduler alone cannot pick a winner. A claim blob does: <c>claims/{instanceId}</c> is created with
/// <c>If-None-Match: *</c>, which storage grants to one caller. The winner checks again that no run exists, schedules,
/// and deletes the claim; a caller that finds the claim taken waits for the winner's run to appear. A winner that died
/// holding the claim is replaced once the claim is older than <see cref="StaleClaim"/>. A run that ended Failed or
/// Terminated may be started again (by the same rule).
/// </remarks>
public static class SingleStart
{
    /// <summary>How long a claim may be held before it is taken as abandoned by a crashed caller.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromSeconds(30);

    /// <summary>True when this call scheduled the run; false when a live run with <paramref name="instanceId"/> exists or was started by another caller.</summary>
    public static async Task<bool> StartAsync(DurableTaskClient client, BlobContainerClient claims, string instanceId, Func<OrchestrationMetadata?, Task> schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(schedule);
        BlobClient claim = claims.GetBlobClient($"claims/{instanceId}");
        while (true)
        {
            OrchestrationMetadata? existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            if (IsLive(existing))
            {
                return false;
            }

            if (await TryClaimAsync(claim, cancellationToken))
            {
                try
                {
                    // Someone may have scheduled and released the claim between our first look and the claim.
                    OrchestrationMetadata? now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
                    if (IsLive(now))
                    {
                        return false;
                    }

                    await schedule(now);
                    return true;
                }
                finally
                {
                    await claim.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
                }
            }

            // Another caller holds the claim: wait for its run, or for the claim to go stale.
            DateTimeOffset until = DateTimeOffset.UtcNow + StaleClaim;
            while (DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(200, cancellationToken);
                if (IsLive(await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)))
                {
                    return false;
                }

                if (!(await claim.ExistsAsync(cancellationToken)).Value)
                {
                    break;
                }
            }

            await ReleaseIfStaleAsync(claim, cancellationToken);
        }
    }

    static bool IsLive(OrchestrationMetadata? instance) =>
        instance is not null && instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated);

    static async Task<bool> TryClaimAsync(BlobClient claim, CancellationToken cancellationToken)
    {
        try
        {
            await claim.UploadAsync(BinaryData.FromString(DateTimeOffset.UtcNow.ToString("O")), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    static async Task ReleaseIfStaleAsync(BlobClient claim, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await claim.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (DateTimeOffset.UtcNow - properties.LastModified >= StaleClaim)
            {
                await claim.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken: cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Released or renewed meanwhile: look again.
        }
    }
}
