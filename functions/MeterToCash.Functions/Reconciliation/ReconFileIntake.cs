using System.Security.Cryptography;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Payments;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>What taking a file in gave: the file accepted, or why it was refused whole; the file id either way.</summary>
public sealed record ReconIntakeResult(string FileId, ReconFileAccepted? Accepted, ReconRefusal? Refusal);

/// <summary>
/// What upload and drop share: reading a file whole (refused whole or accepted with its line errors), storing it as the
/// newest version of its channel day, and starting (or waking) the day's reconciliation once its channel date is closed.
/// The file's SHA-256 is its id, so the same bytes however they arrive are one file.
/// </summary>
public sealed class ReconFileIntake(ReconStore store, Reconciler reconciler, ChannelJournals journals, TimeProvider time, IOptions<ReconciliationOptions> options, ILogger<ReconFileIntake> logger)
{
    /// <summary>Refusal (422): the file's channel is not a channel of ours.</summary>
    public const string UnknownChannel = "unknown-channel";

    /// <summary>Line errors answered with an upload; all of them are in <c>errors/{id}.json</c>.</summary>
    public const int LineErrorsAnswered = 100;

    public int MaxBytes => options.Value.MaxFileBytes;

    /// <summary>
    /// Takes a file in. A file refused whole leaves only its original and the reason (<c>rejected/{id}</c>); an accepted
    /// one is stored, its line errors kept, recorded as its channel day's newest version, and its reconciliation started
    /// when the channel date is closed (else the scan starts it once the day closes).
    /// </summary>
    /// <param name="channelId">The channel the file is sent for (required for camt XML, which names a bank account, not our channel; checked against a CSV's header).</param>
    /// <param name="channelDate">The day it is sent for (required for camt XML; checked against a CSV's header).</param>
    public async Task<ReconIntakeResult> TakeAsync(DurableTaskClient client, byte[] bytes, string format, string? channelId, DateOnly? channelDate, string origin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string fileId = Convert.ToHexStringLower(SHA256.HashData(bytes));
        ReconParseResult parsed = reconciler.Parse(bytes, format, channelId, channelDate);
        ReconRefusal? refusal = parsed.Refusal;
        ReconFile? file = parsed.File;
        if (file is not null && channelDate is { } expected && file.ChannelDate != expected)
        {
            refusal = new ReconRefusal(ReconRules.ChannelDateMismatch, 422, $"The file is for {ReconStore.Day(file.ChannelDate)}, not {ReconStore.Day(expected)}.");
        }
        else if (file is not null && await journals.KindAsync(file.ChannelId, ct) is null)
        {
            refusal = new ReconRefusal(UnknownChannel, 422, $"There is no payment channel '{file.ChannelId}'.");
        }

        DateTimeOffset now = time.GetUtcNow();
        if (refusal is not null)
        {
            await store.StoreRejectedAsync(fileId, bytes, refusal, origin, now, ct);
            logger.ReconFileRefused(fileId, refusal.Rule, origin);
            return new ReconIntakeResult(fileId, null, refusal);
        }

        await store.StoreFileAsync(fileId, bytes, ReconFileFormats.ContentType(format), ct);
        await store.StoreLineErrorsAsync(fileId, file!.LineErrors, ct);
        (bool known, int version, string? supersedes) = await store.RegisterFileAsync(file.ChannelId, file.ChannelDate, fileId, format, origin, file.Lines.Count, file.LineErrors.Count, now, ct);
        if (!known)
        {
            logger.ReconFileTaken(fileId, file.ChannelId, file.ChannelDate, version, file.Lines.Count, file.LineErrors.Count, origin);
        }

        string status = await StartIfReadyAsync(client, new ReconDayRef(file.ChannelId, file.ChannelDate), ct);
        return new ReconIntakeResult(fileId, new ReconFileAccepted(
            fileId, file.ChannelId, file.ChannelDate, format, version, known, supersedes, file.Lines.Count, file.LineErrors.Count,
            [.. file.LineErrors.Take(LineErrorsAnswered)], status, $"/api/reconciliation/{file.ChannelId}/{ReconStore.Day(file.ChannelDate)}"), null);
    }

    /// <summary>
    /// Starts the channel day's reconciliation when its date is closed and a file is in, or wakes the running one to
    /// match the newest file; answers the day's status.
    /// </summary>
    public async Task<string> StartIfReadyAsync(DurableTaskClient client, ReconDayRef day, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ReconDayRecord? record = await store.FindDayAsync(day.ChannelId, day.ChannelDate, ct);
        if (record?.FileId is null)
        {
            return "AwaitingFile";
        }

        if (!await journals.IsDayClosedAsync(day.ChannelId, day.ChannelDate, ct))
        {
            return ReconDayStatus.AwaitingDayClose;
        }

        await StartOrWakeAsync(client, day, ct);
        return record.Pending ? ReconDayStatus.Matching : record.Status;
    }

    /// <summary>
    /// Schedules the day's orchestration under its deterministic id when none is live (a completed one is run again:
    /// a rerun), or raises <see cref="ReconSignal.Rerun"/> to the live one.
    /// </summary>
    public async Task<bool> StartOrWakeAsync(DurableTaskClient client, ReconDayRef day, CancellationToken ct)
    {
        string id = ReconNames.InstanceId(day.ChannelId, day.ChannelDate);
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, ct);
        if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended })
        {
            await client.RaiseEventAsync(id, ReconciliationWorkflow.SignalEvent, new ReconSignal(ReconSignal.Rerun, null), ct);
            return false;
        }

        ReconRunInput input = new(day.ChannelId, day.ChannelDate, time.GetUtcNow() + TimeSpan.FromHours(options.Value.DecisionHours));
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(ReconciliationWorkflow.ReconcileChannelDay), input, new StartOrchestrationOptions(id), ct);
        logger.ReconStarted(id, day.ChannelId, day.ChannelDate, instance is not null);
        return true;
    }
}
