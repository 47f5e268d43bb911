using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Monitoring;

/// <summary>An alarm as stored: its id, the area it belongs to, the operator's note and the ETag of the row.</summary>
public sealed record StoredAlarm(string Id, string Area, Alarm Alarm, string? Note, ETag ETag);

/// <summary>What a lifecycle request did.</summary>
public enum AlarmUpdateOutcome
{
    /// <summary>Applied (or an idempotent repeat, e.g. acknowledging an acknowledged alarm).</summary>
    Applied,

    /// <summary>No such alarm.</summary>
    NotFound,

    /// <summary>The transition is not allowed from the alarm's state.</summary>
    InvalidTransition,
}

/// <summary>
/// The <c>Alarms</c> table and the <c>alarm-notifications</c> queue.
/// <para>
/// Keys. PartitionKey = transformer area (for a meter alarm, the meter's area; for an area outage, the area itself),
/// because the operators' main question is "what is open in my area", a single-partition query. Two row kinds share
/// the partition so a new alarm and its dedup pointer are written in one entity-group transaction:
/// </para>
/// <list type="bullet">
/// <item><c>a~{kind}~{subject}~{openedAt unix ms}</c>: one alarm. Its public id is <c>{area}~{kind}~{subject}~{ms}</c>,
/// so GET/acknowledge/close by id are point reads and writes. A condition that recurs after a close is a new alarm
/// (new opened-at), so history is kept.</item>
/// <item><c>k~{kind}~{subject}</c>: the dedup pointer of a condition key, naming its latest alarm. Raising reads the
/// pointer, folds the observation with <see cref="AlarmRules.Raise"/>, and writes conditionally on ETags, so concurrent
/// deliveries of the same condition never create a second alarm.</item>
/// </list>
/// <para>
/// Lists by status/severity/department without an area are a filtered scan of the alarm rows: live alarms number in the
/// thousands at most, so a secondary index table (and the second write it costs on every change) is not worth it yet.
/// </para>
/// <para>
/// Notifications are published after the row write succeeds and only when the lifecycle state or the severity changed:
/// a repeat observation that only bumps the occurrence count is not news, and a redelivery changes nothing so publishes
/// nothing. Each change happens once per alarm (an alarm is opened, acknowledged and closed once), so (alarm id, change,
/// severity) is the consumer's dedup key for the rare duplicate. The message is written as an outbox row (<c>o~…</c>) in
/// the same transaction as the alarm change and deleted after the send; <see cref="DrainOutboxAsync"/> sends what a
/// crash left behind, so a stored change is always notified, at least once.
/// </para>
/// </summary>
public sealed class AlarmStore(TableServiceClient tables, QueueServiceClient queues, IOptions<MonitoringOptions> options, ILogger<AlarmStore> logger)
{
    public const string TableName = "Alarms";
    const string AlarmPrefix = "a~";
    const string PointerPrefix = "k~";
    const string OutboxPrefix = "o~", OutboxEnd = "o\u007f";
    const char Separator = '~';
    const int MaxAttempts = 8;

    static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    readonly TableClient table = tables.GetTableClient(TableName);
    readonly QueueClient queue = queues.GetQueueClient(options.Value.NotificationQueue);

    /// <summary>Folds an observation into the alarm of its condition key; returns the alarm after it (null when stale).</summary>
    public async Task<StoredAlarm?> RaiseAsync(string area, AlarmCondition condition, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            (TableEntity? pointer, StoredAlarm? current) = await LatestAsync(area, condition.Key, cancellationToken);
            Alarm next = AlarmRules.Raise(current?.Alarm, condition);
            if (current is not null && next == current.Alarm)
            {
                return current; // A redelivery or a stale observation: nothing to write, nothing to publish.
            }

            try
            {
                if (current is null || !ReferenceEquals(next, current.Alarm) && next.OpenedAt != current.Alarm.OpenedAt)
                {
                    StoredAlarm stored = await CreateAsync(area, next, pointer, cancellationToken);
                    MeterToCashTelemetry.RecordAlarmOpened(next.Key.Kind, next.Severity);
                    await PublishAsync(stored, "Opened", cancellationToken);
                    return stored;
                }

                string? change = next.Severity != current.Alarm.Severity ? "SeverityRaised" : null;
                StoredAlarm updated = await ReplaceAsync(current with { Alarm = next }, change, cancellationToken);
                if (change is not null)
                {
                    await PublishAsync(updated, change, cancellationToken);
                }

                return updated;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Someone else changed the pointer or the alarm since we read it: read again and refold.
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Closes the live alarm of a condition key at <paramref name="at"/>, unless there is none or it opened later (a stale restore).</summary>
    public async Task<StoredAlarm?> CloseLiveAsync(string area, AlarmKey key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            (_, StoredAlarm? current) = await LatestAsync(area, key, cancellationToken);
            if (current is null || !current.Alarm.IsLive || at < current.Alarm.OpenedAt)
            {
                return null;
            }

            AlarmTransition closed = AlarmRules.Close(current.Alarm, at);
            try
            {
                StoredAlarm stored = await ReplaceAsync(current with { Alarm = closed.Alarm }, "Closed", cancellationToken);
                await PublishAsync(stored, "Closed", cancellationToken);
                return stored;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>The live alarm of a condition key, or null.</summary>
    public async Task<StoredAlarm?> FindLiveAsync(string area, AlarmKey key, CancellationToken cancellationToken)
    {
        (_, StoredAlarm? current) = await LatestAsync(area, key, cancellationToken);
        return current is { Alarm.IsLive: true } ? current : null;
    }

    /// <summary>Subjects with a live (open or acknowledged) alarm of <paramref name="kind"/> in an area: one partition range query.</summary>
    public async Task<HashSet<string>> LiveSubjectsAsync(string area, AlarmKind kind, CancellationToken cancellationToken)
    {
        string from = AlarmPrefix + kind + Separator, to = AlarmPrefix + kind + (char)(Separator + 1);
        HashSet<string> subjects = new(StringComparer.Ordinal);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {area} and RowKey gt {from} and RowKey lt {to} and State ne {nameof(AlarmState.Closed)}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["Subject"], cancellationToken: cancellationToken))
        {
            subjects.Add(row.GetString("Subject"));
        }

        return subjects;
    }

    /// <summary>The alarm with this public id, or null (also for an id that is not in the id format).</summary>
    public async Task<StoredAlarm?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out string area, out string rowKey))
        {
            return null;
        }

        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(area, rowKey, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Open → Acknowledged by an operator (repeat on an acknowledged alarm is a no-op; on a closed one invalid).</summary>
    public Task<(AlarmUpdateOutcome Outcome, StoredAlarm? Alarm, string? Error)> AcknowledgeAsync(string id, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        TransitionAsync(id, "Acknowledged", a => AlarmRules.Acknowledge(a, by, at), note, cancellationToken);

    /// <summary>Open/Acknowledged → Closed by an operator; closing a closed alarm is invalid.</summary>
    public Task<(AlarmUpdateOutcome Outcome, StoredAlarm? Alarm, string? Error)> CloseAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        TransitionAsync(id, "Closed", a => AlarmRules.Close(a, at), null, cancellationToken);

    /// <summary>One page of alarms, optionally of one area and with a state, severity and department.</summary>
    public async Task<(IReadOnlyList<StoredAlarm> Items, string? ContinuationToken)> ListAsync(
        string? area, AlarmState? state, AlarmSeverity? severity, Department? department, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        List<string> filters = [TableClient.CreateQueryFilter($"RowKey gt {AlarmPrefix} and RowKey lt {"b"}")];
        if (area is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {area}"));
        }

        if (state is { } s)
        {
            filters.Add(TableClient.CreateQueryFilter($"State eq {s.ToString()}"));
        }

        if (severity is { } sev)
        {
            filters.Add(TableClient.CreateQueryFilter($"Severity eq {sev.ToString()}"));
        }

        if (department is { } d)
        {
            filters.Add(TableClient.CreateQueryFilter($"Department eq {d.ToString()}"));
        }

        // Tokens are the SDK's; the API wraps and checks them (Infrastructure/PagingToken).
        await foreach (Page<TableEntity> page in table.QueryAsync<TableEntity>(string.Join(" and ", filters), pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return (page.Values.Select(FromEntity).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    async Task<(AlarmUpdateOutcome, StoredAlarm?, string?)> TransitionAsync(string id, string change, Func<Alarm, AlarmTransition> transition, string? note, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            StoredAlarm? current = await FindAsync(id, cancellationToken);
            if (current is null)
            {
                return (AlarmUpdateOutcome.NotFound, null, null);
            }

            AlarmTransition result = transition(current.Alarm);
            if (!result.Succeeded)
            {
                return (AlarmUpdateOutcome.InvalidTransition, current, result.Error);
            }

            if (result.Alarm == current.Alarm)
            {
                return (AlarmUpdateOutcome.Applied, current, null); // Idempotent repeat: no write, no notification.
            }

            try
            {
                StoredAlarm stored = await ReplaceAsync(current with { Alarm = result.Alarm, Note = note ?? current.Note }, change, cancellationToken);
                await PublishAsync(stored, change, cancellationToken);
                return (AlarmUpdateOutcome.Applied, stored, null);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // Changed concurrently (e.g. the pipeline folded a new observation): re-read and re-apply.
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
            }
        }
    }

    async Task<(TableEntity? Pointer, StoredAlarm? Latest)> LatestAsync(string area, AlarmKey key, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> pointer = await table.GetEntityIfExistsAsync<TableEntity>(area, PointerRowKey(key), cancellationToken: cancellationToken);
        if (!pointer.HasValue)
        {
            return (null, null);
        }

        string rowKey = pointer.Value!.GetString("AlarmRowKey");
        NullableResponse<TableEntity> alarm = await table.GetEntityIfExistsAsync<TableEntity>(area, rowKey, cancellationToken: cancellationToken);
        return (pointer.Value, alarm.HasValue ? FromEntity(alarm.Value!) : null);
    }

    /// <summary>The new alarm row and its pointer in one transaction, conditional on the pointer as read.</summary>
    async Task<StoredAlarm> CreateAsync(string area, Alarm alarm, TableEntity? pointer, CancellationToken cancellationToken)
    {
        string rowKey = AlarmRowKey(alarm.Key, alarm.OpenedAt);
        TableEntity entity = ToEntity(area, rowKey, alarm, null);
        TableEntity newPointer = new(area, PointerRowKey(alarm.Key)) { ["AlarmRowKey"] = rowKey };
        StoredAlarm stored = new(IdOf(area, rowKey), area, alarm, null, default);
        List<TableTransactionAction> actions =
        [
            pointer is null
                ? new TableTransactionAction(TableTransactionActionType.Add, newPointer)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, newPointer, pointer.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, entity),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutboxEntity(stored, "Opened")),
        ];
        Response<IReadOnlyList<Response>> response = await table.SubmitTransactionAsync(actions, cancellationToken);
        return stored with { ETag = response.Value[1].Headers.ETag ?? default };
    }

    /// <summary>
    /// Writes the alarm row; with a <paramref name="change"/> to publish, its outbox row goes in the same entity-group
    /// transaction, so the notification can be lost neither by a crash before the send nor sent for a change that was
    /// not stored.
    /// </summary>
    async Task<StoredAlarm> ReplaceAsync(StoredAlarm alarm, string? change, CancellationToken cancellationToken)
    {
        TableEntity entity = ToEntity(alarm.Area, AlarmPrefix + alarm.Id[(alarm.Area.Length + 1)..], alarm.Alarm, alarm.Note);
        if (change is null)
        {
            Response response = await table.UpdateEntityAsync(entity, alarm.ETag, TableUpdateMode.Replace, cancellationToken);
            return alarm with { ETag = response.Headers.ETag ?? default };
        }

        Response<IReadOnlyList<Response>> written = await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, alarm.ETag),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutboxEntity(alarm, change)),
            ],
            cancellationToken);
        return alarm with { ETag = written.Value[0].Headers.ETag ?? default };
    }

    /// <summary>Sends the notification of a stored change and removes its outbox row (a crash in between sends it again later: at least once).</summary>
    async Task PublishAsync(StoredAlarm alarm, string change, CancellationToken cancellationToken)
    {
        TableEntity outbox = OutboxEntity(alarm, change);
        await queue.SendMessageAsync(BinaryData.FromString(outbox.GetString("Message")), cancellationToken: cancellationToken);
        await DeleteOutboxAsync(outbox.PartitionKey, outbox.RowKey, cancellationToken);
        logger.AlarmChanged(alarm.Id, alarm.Alarm.State.ToString(), change);
    }

    /// <summary>
    /// Sends what the outbox still holds from before <paramref name="olderThan"/>: changes stored by a process that died
    /// before its send. A scan across areas over the outbox rows only, which exist for seconds in normal operation.
    /// </summary>
    public async Task<int> DrainOutboxAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        int sent = 0;
        string filter = TableClient.CreateQueryFilter($"RowKey gt {OutboxPrefix} and RowKey lt {OutboxEnd} and Timestamp lt {olderThan}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            await queue.SendMessageAsync(BinaryData.FromString(row.GetString("Message")), cancellationToken: cancellationToken);
            await DeleteOutboxAsync(row.PartitionKey, row.RowKey, cancellationToken);
            sent++;
        }

        return sent;
    }

    async Task DeleteOutboxAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Drained concurrently: sent twice at worst, which the consumer's dedup key absorbs.
        }
    }

    /// <summary>The outbox row of a change: one per (alarm, change, severity), holding the message as it will be sent.</summary>
    static TableEntity OutboxEntity(StoredAlarm alarm, string change)
    {
        AlarmNotification message = new(
            alarm.Id, change, alarm.Alarm.State, alarm.Alarm.Key.Kind, alarm.Alarm.Key.Subject, alarm.Area, alarm.Alarm.Severity, alarm.Alarm.Department,
            alarm.Alarm.OpenedAt, alarm.Alarm.ClosedAt, alarm.Alarm.ClosedAt is { } closedAt ? (long)(closedAt - alarm.Alarm.OpenedAt).TotalSeconds : null);
        string rowKey = string.Create(CultureInfo.InvariantCulture, $"{OutboxPrefix}{alarm.Id[(alarm.Area.Length + 1)..]}{Separator}{change}{Separator}{alarm.Alarm.Severity}");
        return new TableEntity(alarm.Area, rowKey) { ["Message"] = JsonSerializer.Serialize(message, MessageJson) };
    }

    /// <summary>
    /// The table's own token is a bare "partition row" pair that the service accepts whatever it says, so a made-up
    /// token would silently return an arbitrary page; wrapping it lets <see cref="DecodeToken"/> refuse what we did not issue.
    /// </summary>
    static string PointerRowKey(AlarmKey key) => $"{PointerPrefix}{key.Kind}{Separator}{key.Subject}";

    static string AlarmRowKey(AlarmKey key, DateTimeOffset openedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{AlarmPrefix}{key.Kind}{Separator}{key.Subject}{Separator}{openedAt.ToUnixTimeMilliseconds()}");

    static string IdOf(string area, string rowKey) => area + Separator + rowKey[AlarmPrefix.Length..];

    /// <summary>Splits a public id into the row's keys; false for anything that is not one (so it can be answered 404/400).</summary>
    public static bool TryParseId(string? id, out string area, out string rowKey)
    {
        area = rowKey = string.Empty;
        string[] parts = id?.Split(Separator) ?? [];
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 64 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            || !Enum.TryParse(parts[1], ignoreCase: false, out AlarmKind _) || char.IsAsciiDigit(parts[1][0]) || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        area = parts[0];
        rowKey = AlarmPrefix + string.Join(Separator, parts[1..]);
        return true;
    }

    static TableEntity ToEntity(string area, string rowKey, Alarm alarm, string? note) => new(area, rowKey)
    {
        ["Kind"] = alarm.Key.Kind.ToString(),
        ["Subject"] = alarm.Key.Subject,
        ["State"] = alarm.State.ToString(),
        ["Severity"] = alarm.Severity.ToString(),
        ["Department"] = alarm.Department.ToString(),
        ["OpenedAt"] = alarm.OpenedAt,
        ["LastSeenAt"] = alarm.LastSeenAt,
        ["Occurrences"] = alarm.Occurrences,
        ["AcknowledgedBy"] = alarm.AcknowledgedBy,
        ["AcknowledgedAt"] = alarm.AcknowledgedAt,
        ["ClosedAt"] = alarm.ClosedAt,
        ["Detail"] = alarm.Detail,
        ["Note"] = note,
    };

    static StoredAlarm FromEntity(TableEntity e)
    {
        Alarm alarm = new(
            new AlarmKey(Enum.Parse<AlarmKind>(e.GetString("Kind")), e.GetString("Subject")),
            Enum.Parse<AlarmState>(e.GetString("State")),
            Enum.Parse<AlarmSeverity>(e.GetString("Severity")),
            Enum.Parse<Department>(e.GetString("Department")),
            e.GetDateTimeOffset("OpenedAt")!.Value,
            e.GetDateTimeOffset("LastSeenAt")!.Value,
            e.GetInt32("Occurrences") ?? 1,
            e.GetString("AcknowledgedBy"),
            e.GetDateTimeOffset("AcknowledgedAt"),
            e.GetDateTimeOffset("ClosedAt"),
            e.GetString("Detail"));
        return new StoredAlarm(IdOf(e.PartitionKey, e.RowKey), e.PartitionKey, alarm, e.GetString("Note"), e.ETag);
    }
}

/// <summary>The message published to the notification queue for each real alarm state change.</summary>
public sealed record AlarmNotification(
    string AlarmId,
    string Change,
    AlarmState State,
    AlarmKind Condition,
    string Subject,
    string Area,
    AlarmSeverity Severity,
    Department Department,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    long? DurationSeconds);
