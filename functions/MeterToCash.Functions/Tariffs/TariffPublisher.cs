using MeterToCash.Domain.Common;
using System.Text.Json.Nodes;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Tariffs;

/// <summary>What a publish did.</summary>
public enum PublishOutcome
{
    /// <summary>A new version was stored.</summary>
    Created,

    /// <summary>The same content was already published under this label; nothing was written.</summary>
    Unchanged,

    /// <summary>Other content is already published under this label (published versions are immutable).</summary>
    Conflict,

    /// <summary>The version does not fit the tariff's published versions; see the errors.</summary>
    Unprocessable,
}

/// <summary>
/// The outcome of a publish with the stored version (Created, Unchanged, Conflict) or the rule errors (Unprocessable);
/// <c>ListenersFailed</c> when the version is stored but a listener failed (a retry of the same PUT notifies again).
/// </summary>
public sealed record PublishResult(PublishOutcome Outcome, PublishedVersion? Stored, IReadOnlyList<ValidationError> Errors, bool ListenersFailed = false);

/// <summary>
/// Publishes one version of a tariff. Published versions are immutable: the same content again changes nothing,
/// other content under the same label is a conflict, and a correction is a new version with its own effective date.
/// The tariff with the new version must still be a valid engine tariff (one kind, distinct effective dates).
/// </summary>
public sealed class TariffPublisher(
    TariffStore store,
    TariffCatalog catalog,
    IEnumerable<ITariffChangeListener> listeners,
    TimeProvider time,
    ILogger<TariffPublisher> logger)
{
    /// <summary>
    /// Publishes <paramref name="tariff"/>'s single version under <paramref name="code"/>. <paramref name="body"/> is the
    /// document it was loaded from (id already equal to the code), which is what gets stored.
    /// </summary>
    public async Task<PublishResult> PublishAsync(string code, JsonObject body, Tariff tariff, DurableTaskClient durable, CancellationToken ct)
    {
        TariffVersion version = tariff.Versions.Single();
        JsonNode versionJson = body["versions"]![0]!;
        PublishedVersion candidate = new(
            code,
            version.Version,
            version.EffectiveFrom,
            TariffDocuments.Write(versionJson),
            TariffDocuments.ContentHash(body, versionJson),
            tariff.Name,
            body["kind"]!.GetValue<string>(),
            tariff.IsSample,
            tariff.SampleNote,
            time.GetUtcNow());

        IReadOnlyList<PublishedVersion> published = await store.VersionsAsync(code, ct);
        if (published.FirstOrDefault(v => v.Version == candidate.Version) is { } existing)
        {
            return await RepublishAsync(existing, candidate, durable, ct);
        }

        List<ValidationError> errors = [];
        if (published.Count > 0 && published[0].Kind != candidate.Kind)
        {
            errors.Add(new("$.kind", "kind-changed", $"Tariff '{code}' is published as '{published[0].Kind}'; a version cannot change it to '{candidate.Kind}'. Publish a new code instead."));
        }

        if (published.FirstOrDefault(v => v.EffectiveFrom == candidate.EffectiveFrom) is { } sameDay)
        {
            errors.Add(new("$.versions[0].effectiveFrom", "effective-date-taken", $"Version '{sameDay.Version}' of '{code}' already takes effect on {candidate.EffectiveFrom:yyyy-MM-dd}."));
        }

        if (errors.Count == 0)
        {
            // The tariff as it will read once the version is added, through the engine's own loader and validation.
            List<PublishedVersion> combined = [.. published.Append(candidate).OrderBy(v => v.EffectiveFrom)];
            TariffLoadResult loaded = TariffJson.Load(TariffDocuments.Write(TariffDocuments.Compose(code, combined)));
            int at = combined.IndexOf(candidate);
            errors.AddRange(loaded.Errors.Select(e => new ValidationError(e.Path, "tariff-rule", $"{e.Message} (in the tariff with the new version at versions[{at}], ordered by effectiveFrom)")));
        }

        if (errors.Count > 0)
        {
            return new(PublishOutcome.Unprocessable, null, errors);
        }

        if (!await store.AddAsync(candidate, ct))
        {
            // A concurrent publish of the same label got there first: answer as a republish against what it stored.
            PublishedVersion winner = await store.FindAsync(code, candidate.Version, ct)
                ?? throw new InvalidOperationException($"Tariff '{code}' version '{candidate.Version}' exists yet cannot be read.");
            return await RepublishAsync(winner, candidate, durable, ct);
        }

        catalog.Invalidate(code);
        logger.TariffPublished(code, candidate.Version, candidate.EffectiveFrom);
        bool notified = await NotifyAsync(candidate, durable, ct);
        return new(PublishOutcome.Created, candidate, [], !notified);
    }

    async Task<PublishResult> RepublishAsync(PublishedVersion existing, PublishedVersion candidate, DurableTaskClient durable, CancellationToken ct)
    {
        if (existing.Sha256 != candidate.Sha256)
        {
            return new(PublishOutcome.Conflict, existing, []);
        }

        // At-least-once delivery: a publish whose listeners failed the first time is completed by retrying it.
        bool notified = await NotifyAsync(existing, durable, ct);
        return new(PublishOutcome.Unchanged, existing, [], !notified);
    }

    /// <summary>Tells every listener; false when one failed (logged; the others are still told).</summary>
    async Task<bool> NotifyAsync(PublishedVersion version, DurableTaskClient durable, CancellationToken ct)
    {
        bool all = true;
        foreach (ITariffChangeListener listener in listeners)
        {
            try
            {
                await listener.TariffPublishedAsync(version.Code, version.Version, version.EffectiveFrom, durable, ct);
            }
#pragma warning disable CA1031 // The version is stored: a failing listener is reported and retried with the same PUT, never a 500.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.TariffListenerFailed(e, listener.GetType().Name, version.Code, version.Version);
                all = false;
            }
        }

        return all;
    }
}
