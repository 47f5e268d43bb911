using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Tools.Reconciliation;

/// <summary>
/// <c>recon-file</c>: writes a day's bank reconciliation file for a channel in CSV, camt.053 and camt.054, from a
/// journal file or from a generated demo journal, with planted differences on request.
/// </summary>
public static class ReconFileCommand
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "recon-file [--channel BANK-ICBC] [--date yyyy-MM-dd] [--journal journal.json | --payments 200] [--out DIR] [--seed 16] "
        + "[--drop N] [--extra N] [--change-amount N] [--wrong-account N] [--bank-reversal N] [--duplicate N] [--without-id N] [--bank-account 6222000011112222]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyDictionary<string, string> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out string? value) ? value : fallback;
        int Count(string name) => int.Parse(Option(name, "0"), CultureInfo.InvariantCulture);

        string channel = Option("channel", "BANK-ICBC");
        DateOnly day = DateOnly.ParseExact(Option("date", DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        int seed = int.Parse(Option("seed", "16"), CultureInfo.InvariantCulture);
        string outDir = Option("out", ".");
        ReconPlants plants = new(Count("drop"), Count("extra"), Count("change-amount"), Count("wrong-account"), Count("bank-reversal"), Count("duplicate"), Count("without-id"));

        List<ChannelJournalEntry> journal;
        if (options.TryGetValue("journal", out string? journalFile))
        {
            journal = ReadJournal(File.ReadAllBytes(journalFile));
        }
        else
        {
            journal = ReconDemo.Journal(channel, day, int.Parse(Option("payments", "200"), CultureInfo.InvariantCulture), seed);
        }

        List<BankLine> lines = ReconDemo.BankLines(journal, day, plants, seed);
        Directory.CreateDirectory(outDir);
        string stem = Path.Combine(outDir, $"{channel}-{day:yyyy-MM-dd}");
        string account = Option("bank-account", "6222000011112222");
        File.WriteAllBytes(stem + ".csv", ReconFileWriter.Csv(channel, day, lines));
        File.WriteAllBytes(stem + ".camt053.xml", ReconFileWriter.Camt(ReconFileFormat.Camt053, account, day, lines));
        File.WriteAllBytes(stem + ".camt054.xml", ReconFileWriter.Camt(ReconFileFormat.Camt054, account, day, lines));
        if (journalFile is null)
        {
            File.WriteAllText(stem + ".journal.json", JsonSerializer.Serialize(journal.Select(j => new { type = j.Type.ToString().ToUpperInvariant(), j.ChannelTxnId, j.EntryId, j.AccountNo, j.AmountFen, j.PaidAt }), JsonOptions), new UTF8Encoding(false));
        }

        Console.WriteLine($"{stem}.csv, .camt053.xml, .camt054.xml: {lines.Count} bank lines for {journal.Count} journal entries, {plants.Differences} planted differences ({plants}).");
        return 0;
    }

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>
    /// Reads a journal: an array of entries, or an object with a <c>lines</c> array (the journal endpoint's answer).
    /// Each entry: <c>type</c> (PAY/Pay/Payment or REV/Rev/Reversal), <c>channelTxnId</c> (or <c>key</c>),
    /// <c>entryId</c> (or <c>paymentId</c>), <c>accountNo</c>, <c>amountFen</c>, <c>paidAt</c>; names in any case.
    /// </summary>
    public static List<ChannelJournalEntry> ReadJournal(byte[] json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        JsonElement array = root.ValueKind == JsonValueKind.Array ? root : Property(root, "lines") ?? throw new FormatException("A journal is an array or an object with 'lines'.");
        List<ChannelJournalEntry> journal = [];
        foreach (JsonElement item in array.EnumerateArray())
        {
            string type = Property(item, "type")?.GetString() ?? "PAY";
            string txn = (Property(item, "channelTxnId") ?? Property(item, "key"))?.GetString() ?? throw new FormatException("An entry has no channelTxnId.");
            ReconTxnType kind = type.ToUpperInvariant() switch
            {
                "PAY" or "PAYMENT" => ReconTxnType.Pay,
                "REV" or "REVERSAL" => ReconTxnType.Rev,
                _ => throw new FormatException($"Unknown journal type '{type}'."),
            };
            string entryId = (Property(item, "entryId") ?? Property(item, "paymentId"))?.GetString() ?? $"{(kind == ReconTxnType.Pay ? "pay" : "rev")}:{txn}";
            journal.Add(new(
                entryId,
                txn,
                Property(item, "accountNo")?.GetString() ?? throw new FormatException("An entry has no accountNo."),
                Property(item, "amountFen")?.GetInt64() ?? throw new FormatException("An entry has no amountFen."),
                kind,
                Property(item, "paidAt")?.GetDateTimeOffset() ?? throw new FormatException("An entry has no paidAt.")));
        }

        return journal;
    }

    static JsonElement? Property(JsonElement element, string name)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
