using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Calendar;

namespace MeterToCash.Functions.Calendar;

/// <summary>A published calendar with its canonical document, the document's hash and the ETag that guards corrections.</summary>
public sealed record StoredCalendar(HolidayCalendar Calendar, string Document, string Sha256, int Revision, DateTimeOffset PublishedAt, ETag ETag);

/// <summary>One published year as listed, without its document.</summary>
public sealed record PublishedYear(int Year, int Revision, string Sha256, DateTimeOffset PublishedAt);

/// <summary>What a publish did.</summary>
public enum PublishOutcome
{
    /// <summary>First publish of the year: revision 1 written.</summary>
    Created,

    /// <summary>Different content replaced the stored calendar: revision + 1 written.</summary>
    Corrected,

    /// <summary>The stored calendar has the same content; nothing written.</summary>
    Unchanged,

    /// <summary>Other publishers of the same year kept winning the race; nothing written, the client may retry.</summary>
    Contended,
}

/// <summary>
/// Table <c>HolidayCalendars</c>: one row per year, PartitionKey "calendar", RowKey the year; columns Document (the
/// canonical JSON of <see cref="HolidayCalendarJson.Write"/>), Sha256 (hex of its UTF-8 bytes), Revision (1 on first
/// publish, +1 per correction) and PublishedAt (UTC, of the latest revision).
/// </summary>
public sealed class CalendarStore(TableServiceClient service, TimeProvider time)
{
    public const string TableName = "HolidayCalendars", Partition = "calendar";

    const int PublishAttempts = 5;

    readonly TableClient table = service.GetTableClient(TableName);

    /// <summary>The published calendar of a year, or null.</summary>
    public async Task<StoredCalendar?> FindAsync(int year, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> entity = await table.GetEntityIfExistsAsync<TableEntity>(Partition, RowKey(year), cancellationToken: cancellationToken);
        return entity.HasValue ? ToStored(entity.Value!) : null;
    }

    /// <summary>Every published year, ascending.</summary>
    public async Task<IReadOnlyList<PublishedYear>> ListAsync(CancellationToken cancellationToken)
    {
        List<PublishedYear> years = [];
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, select: ["RowKey", "Revision", "Sha256", "PublishedAt"], cancellationToken: cancellationToken))
        {
            years.Add(new PublishedYear(int.Parse(e.RowKey, CultureInfo.InvariantCulture), e.GetInt32("Revision") ?? 0, e.GetString("Sha256"), e.GetDateTimeOffset("PublishedAt") ?? default));
        }

        return years;
    }

    /// <summary>
    /// Publishes a calendar: the first publish of a year writes revision 1; a calendar equal to the stored one writes
    /// nothing; a different one replaces it as the next revision, conditional on the ETag read, so two corrections
    /// racing cannot both claim the same revision (the loser reads again and retries).
    /// </summary>
    public async Task<(PublishOutcome Outcome, StoredCalendar? Stored)> PublishAsync(HolidayCalendar calendar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        string document = HolidayCalendarJson.Write(calendar);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
        for (int attempt = 0; attempt < PublishAttempts; attempt++)
        {
            StoredCalendar? existing = await FindAsync(calendar.Year, cancellationToken);
            DateTimeOffset now = time.GetUtcNow();
            if (existing is null)
            {
                try
                {
                    Response response = await table.AddEntityAsync(ToEntity(calendar.Year, document, sha256, 1, now), cancellationToken);
                    return (PublishOutcome.Created, new StoredCalendar(calendar, document, sha256, 1, now, response.Headers.ETag ?? default));
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    continue;
                }
            }

            // Content, not text, decides: a calendar equal to the stored one is the same publish even if the document
            // was written by an older version of the writer.
            if (existing.Calendar.Equals(calendar))
            {
                return (PublishOutcome.Unchanged, existing);
            }

            int revision = existing.Revision + 1;
            try
            {
                Response response = await table.UpdateEntityAsync(ToEntity(calendar.Year, document, sha256, revision, now), existing.ETag, TableUpdateMode.Replace, cancellationToken);
                return (PublishOutcome.Corrected, new StoredCalendar(calendar, document, sha256, revision, now, response.Headers.ETag ?? default));
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                continue;
            }
        }

        return (PublishOutcome.Contended, null);
    }

    static string RowKey(int year) => year.ToString("D4", CultureInfo.InvariantCulture);

    static TableEntity ToEntity(int year, string document, string sha256, int revision, DateTimeOffset publishedAt) => new(Partition, RowKey(year))
    {
        ["Document"] = document,
        ["Sha256"] = sha256,
        ["Revision"] = revision,
        ["PublishedAt"] = publishedAt,
    };

    static StoredCalendar ToStored(TableEntity e)
    {
        string document = e.GetString("Document");
        HolidayCalendarLoadResult loaded = HolidayCalendarJson.Load(document);
        HolidayCalendar calendar = loaded.Calendar
            ?? throw new InvalidOperationException($"The stored calendar {e.RowKey} no longer loads: {string.Join("; ", loaded.Errors)}");
        return new StoredCalendar(calendar, document, e.GetString("Sha256"), e.GetInt32("Revision") ?? 0, e.GetDateTimeOffset("PublishedAt") ?? default, e.ETag);
    }
}
