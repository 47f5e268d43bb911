using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Ledger;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Ledger;

/// <summary>The account ledger service against Azurite, composed as the app composes it: what billing and payment channels rely on.</summary>
[Collection(BackendCollection.Name)]
public class AccountLedgerTests(BackendFixture backend)
{
    static readonly LateFeeRule OnePerMille = new() { DailyRate = 0.001m };

    AccountLedger Ledger() => backend.AppServices().GetRequiredService<AccountLedger>();

    static LedgerEntry Posted(LedgerPostResult result)
    {
        Assert.True(result.Outcome == PostingOutcome.Posted, $"Expected Posted, got {result.Outcome} {result.Refusal}");
        return result.Entry!;
    }

    [Fact]
    public async Task ChargePayReverse_ThroughTheService_PaysOldestFirstLateFeeFirstAndStoredEntriesReplayToTheSameState()
    {
        AccountLedger ledger = Ledger();
        string account = CustomerJson.NextIds().AccountNo;
        // Bill 1: 100.00 issued 1 March, due 31 March; bill 2: 200.00 issued 1 April; bill 1's late fee through 10 April: 100.00 × 1‰ × 10 days = 1.00.
        Posted(await ledger.ChargeAsync(account, "B2", new Money(20000), new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30), "charge:B2", null, default));
        Posted(await ledger.ChargeAsync(account, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", null, default));
        LedgerEntry fee = Posted(await ledger.AssessLateFeeAsync(account, "B1", new DateOnly(2025, 4, 10), OnePerMille, default));
        // An id with every character a Table key forbids: the idempotency row key must still work.
        const string payId = "pay:bank/1\\2#3?4\u0001";

        LedgerEntry pay = Posted(await ledger.PayAsync(account, payId, new Money(15000), new DateTimeOffset(2025, 4, 11, 9, 0, 0, TimeSpan.FromHours(8)), null, default));
        LedgerPostResult reversed = await ledger.ReverseAsync(account, payId, "reverse:" + payId, "Bank recalled the transfer", default);

        Assert.Equal((LedgerEntryKind.LateFee, 100L, 3L), (fee.Kind, fee.Amount.Fen, fee.Sequence));
        Assert.Equal(
            [("B1", 100L, 10000L), ("B2", 0L, 4900L)],
            pay.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));
        LedgerEntry reversal = Posted(reversed);
        Assert.Equal((5L, 15000L, payId), (reversal.Sequence, reversal.Amount.Fen, reversal.ReversesEntryId));
        Assert.Equal(
            [("B1", -100L, -10000L), ("B2", 0L, -4900L)],
            reversal.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));

        IReadOnlyList<LedgerEntry> stored = await ledger.EntriesAsync(account, default);
        LedgerState replayed = LedgerState.Replay(stored);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], stored.Select(e => e.Sequence));
        Assert.Equal((30100L, 0L, 30100L), (replayed.Balance.Fen, replayed.Credit.Fen, replayed.OpenTotal.Fen));
        Assert.Equal(reversed.State.Bills, replayed.Bills);
        Assert.Equal((reversed.State.Balance, reversed.State.LastSequence), (replayed.Balance, replayed.LastSequence));
        Assert.Equal(
            [("B1", 100L, 10000L), ("B2", 0L, 20000L)],
            replayed.Bills.Select(b => (b.BillId, b.LateFeeOpen.Fen, b.PrincipalOpen.Fen)));
        Assert.Equal(pay.PostedAt, stored[3].PostedAt);
        Assert.Equal("Bank recalled the transfer", stored[4].Text);
    }

    [Fact]
    public async Task Pay_SameEntryIdAgain_ReplaysTheOriginalAndStoresNothing()
    {
        AccountLedger ledger = Ledger();
        string account = CustomerJson.NextIds().AccountNo;
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));
        LedgerEntry first = Posted(await ledger.PayAsync(account, "pay:kiosk:7", new Money(5000), paidAt, null, default));

        LedgerPostResult again = await ledger.PayAsync(account, "pay:kiosk:7", new Money(5000), paidAt, null, default);
        LedgerPostResult differs = await ledger.PayAsync(account, "pay:kiosk:7", new Money(6000), paidAt, null, default);

        Assert.Equal(PostingOutcome.Replayed, again.Outcome);
        Assert.Equal((first.Sequence, first.EntryId, first.PostedAt), (again.Entry!.Sequence, again.Entry.EntryId, again.Entry.PostedAt));
        Assert.Equal(LedgerRefusal.DuplicateDiffers, differs.Refusal?.Code);
        LedgerState state = await ledger.StateAsync(account, default);
        Assert.Equal((1L, -5000L, 5000L), (state.LastSequence, state.Balance.Fen, state.Credit.Fen));
    }

    [Fact]
    public async Task Charge_RepeatedLater_ReplaysOnThePayloadNotTheClock()
    {
        AccountLedger ledger = Ledger();
        string account = CustomerJson.NextIds().AccountNo;
        LedgerEntry first = Posted(await ledger.ChargeAsync(account, "B9", new Money(1234), new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 20), "charge:B9", null, default));
        await Task.Delay(20);

        LedgerPostResult again = await ledger.ChargeAsync(account, "B9", new Money(1234), new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 20), "charge:B9", null, default);

        Assert.Equal(PostingOutcome.Replayed, again.Outcome);
        Assert.Equal(first.PostedAt, again.Entry!.PostedAt);
    }

    [Fact]
    public async Task Pay_20ConcurrentWritersInOneProcess_AllStoredGaplessAndTheHeadMatches()
    {
        AccountLedger ledger = Ledger();
        string account = CustomerJson.NextIds().AccountNo;
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));

        LedgerPostResult[] results = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => ledger.PayAsync(account, $"pay:kiosk:{i}", new Money(i), paidAt, null, default)));

        Assert.All(results, r => Assert.Equal(PostingOutcome.Posted, r.Outcome));
        IReadOnlyList<LedgerEntry> stored = await ledger.EntriesAsync(account, default);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), stored.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i).Order(), results.Select(r => r.Entry!.Sequence).Order());
        Assert.Equal(-210L, LedgerState.Replay(stored).Balance.Fen);
    }
    [Fact]
    public async Task Read_AfterPostings_HeadSnapshotHoldsTheSameEntriesAsTheRows()
    {
        (AccountLedger ledger, LedgerStore store, _) = Services();
        string account = CustomerJson.NextIds().AccountNo;
        Posted(await ledger.ChargeAsync(account, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", "三月电费", default));
        Posted(await ledger.AssessLateFeeAsync(account, "B1", new DateOnly(2025, 4, 10), OnePerMille, default));
        Posted(await ledger.PayAsync(account, "pay:1", new Money(12345), new DateTimeOffset(2025, 4, 11, 9, 0, 0, TimeSpan.FromHours(8)), null, default));

        StoredLedger snapshot = await store.ReadAsync(account, default), rows = await store.ReadRowsAsync(account, default);

        Assert.Equal(3, snapshot.Entries.Count);
        Assert.Equal(rows.HeadETag, snapshot.HeadETag);
        Assert.Equal(rows.Entries.Select(Fields), snapshot.Entries.Select(Fields));
    }

    [Fact]
    public async Task Post_HeadWithoutSnapshot_ReadsTheRowsAndTheNextPostingWritesOne()
    {
        (AccountLedger ledger, LedgerStore store, TableServiceClient tables) = Services();
        string account = CustomerJson.NextIds().AccountNo;
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));
        Posted(await ledger.PayAsync(account, "pay:1", new Money(100), paidAt, null, default));
        Posted(await ledger.PayAsync(account, "pay:2", new Money(200), paidAt, null, default));
        // A head as a ledger keeps it whose snapshot would be too large: the sequence and balance only.
        TableClient table = tables.GetTableClient(LedgerStore.TableName);
        TableEntity head = (await table.GetEntityAsync<TableEntity>(account, LedgerStore.HeadRowKey(account))).Value;
        head.Remove("Entries");
        await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace);

        Assert.Equal([1L, 2L], (await store.ReadAsync(account, default)).Entries.Select(e => e.Sequence));
        LedgerEntry third = Posted(await ledger.PayAsync(account, "pay:3", new Money(300), paidAt, null, default));

        Assert.Equal(3, third.Sequence);
        Assert.NotNull((await table.GetEntityAsync<TableEntity>(account, LedgerStore.HeadRowKey(account))).Value.GetBinary("Entries"));
        Assert.Equal(-600L, LedgerState.Replay((await store.ReadAsync(account, default)).Entries).Balance.Fen);
    }

    [Fact]
    public async Task Post_HeadMarkedSnapshotTooLarge_KeepsTheMarkAndIsReadFromTheRows()
    {
        (AccountLedger ledger, LedgerStore store, TableServiceClient tables) = Services();
        string account = CustomerJson.NextIds().AccountNo;
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));
        Posted(await ledger.PayAsync(account, "pay:1", new Money(100), paidAt, null, default));
        // As a head is left once its entries pass the snapshot limit: no snapshot, the mark.
        TableClient table = tables.GetTableClient(LedgerStore.TableName);
        TableEntity head = (await table.GetEntityAsync<TableEntity>(account, LedgerStore.HeadRowKey(account))).Value;
        head.Remove("Entries");
        head["SnapshotTooLarge"] = true;
        await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace);

        Posted(await ledger.PayAsync(account, "pay:2", new Money(200), paidAt, null, default));

        TableEntity after = (await table.GetEntityAsync<TableEntity>(account, LedgerStore.HeadRowKey(account))).Value;
        Assert.Equal((true, (byte[]?)null), (after.GetBoolean("SnapshotTooLarge") == true, after.GetBinary("Entries")));
        StoredLedger read = await store.ReadAsync(account, default);
        Assert.True(read.SnapshotTooLarge);
        Assert.Equal([1L, 2L], read.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Post_TwoAccountsWithTheSameHistory_ShareNoRowKey()
    {
        (AccountLedger ledger, _, TableServiceClient tables) = Services();
        string first = CustomerJson.NextIds().AccountNo, second = CustomerJson.NextIds().AccountNo;
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));
        foreach (string account in new[] { first, second })
        {
            Posted(await ledger.ChargeAsync(account, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1:" + account, null, default));
            Posted(await ledger.PayAsync(account, "pay:1:" + account, new Money(100), paidAt, null, default));
        }

        TableClient table = tables.GetTableClient(LedgerStore.TableName);
        List<string> firstKeys = [], secondKeys = [];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {first} or PartitionKey eq {second}"), select: ["PartitionKey", "RowKey"]))
        {
            (row.PartitionKey == first ? firstKeys : secondKeys).Add(row.RowKey);
        }

        // Head, two entries and two id rows each, and not one row key in both partitions.
        Assert.Equal((5, 5), (firstKeys.Count, secondKeys.Count));
        Assert.Empty(firstKeys.Intersect(secondKeys));
        Assert.Contains(LedgerStore.HeadRowKey(first), firstKeys);
        Assert.Contains(LedgerStore.EntryRowKey(second, 2), secondKeys);
    }

    (AccountLedger Ledger, LedgerStore Store, TableServiceClient Tables) Services()
    {
        ServiceProvider provider = backend.AppServices();
        return (provider.GetRequiredService<AccountLedger>(), provider.GetRequiredService<LedgerStore>(), new TableServiceClient(backend.StorageConnectionString));
    }

    [Fact]
    public async Task ReadMany_HeadsWithAndWithoutSnapshotsAndNoHead_AnswersAsReadAsyncDoes()
    {
        (AccountLedger ledger, LedgerStore store, TableServiceClient tables) = Services();
        string[] accounts = [.. Enumerable.Range(0, 4).Select(_ => CustomerJson.NextIds().AccountNo)];
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));
        Posted(await ledger.ChargeAsync(accounts[0], "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", null, default));
        Posted(await ledger.PayAsync(accounts[0], "pay:1", new Money(2500), paidAt, null, default));
        // accounts[1] has no entries. accounts[2]: a head without its snapshot; accounts[3]: one marked too large.
        TableClient table = tables.GetTableClient(LedgerStore.TableName);
        foreach ((string account, bool tooLarge) in new[] { (accounts[2], false), (accounts[3], true) })
        {
            Posted(await ledger.PayAsync(account, "pay:1", new Money(100), paidAt, null, default));
            TableEntity head = (await table.GetEntityAsync<TableEntity>(account, LedgerStore.HeadRowKey(account))).Value;
            head.Remove("Entries");
            if (tooLarge)
            {
                head["SnapshotTooLarge"] = true;
            }

            await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace);
        }

        string[] asked = [accounts[3], accounts[1], accounts[0], accounts[2]];
        StoredLedger[] many = await store.ReadManyAsync(asked, 2, default);

        Assert.Equal(asked.Length, many.Length);
        for (int i = 0; i < asked.Length; i++)
        {
            StoredLedger one = await store.ReadAsync(asked[i], default);
            Assert.Equal(one.Entries.Select(Fields), many[i].Entries.Select(Fields));
            Assert.Equal((one.HeadETag, one.SnapshotTooLarge), (many[i].HeadETag, many[i].SnapshotTooLarge));
        }

        Assert.Equal((2, 0, 1, 1), (many[2].Entries.Count, many[1].Entries.Count, many[3].Entries.Count, many[0].Entries.Count));
        Assert.Null(many[1].HeadETag);
    }

    [Fact]
    public async Task ChargeMany_PaymentsPostedToTheSameAccountsMeanwhile_EveryChargeOnceAndRepeatReplays()
    {
        AccountLedger ledger = Ledger();
        string[] accounts = [.. Enumerable.Range(0, 12).Select(_ => CustomerJson.NextIds().AccountNo)];
        DateTimeOffset paidAt = new(2025, 5, 2, 10, 30, 0, TimeSpan.FromHours(8));
        LedgerCharge[] charges = [.. accounts.Select((account, k) => new LedgerCharge(account, "B" + k, new Money(1000 + k), new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31), "charge:B" + k, null))];

        // Payments race the batch's read of the heads: a charge whose read went stale meets the payment's append and posts again.
        Task<LedgerPostResult[]> charging = ledger.ChargeManyAsync(charges, 4, default);
        LedgerPostResult[] paid = await Task.WhenAll(accounts.Select(account => ledger.PayAsync(account, "pay:1", new Money(500), paidAt, null, default)));
        LedgerPostResult[] charged = await charging;
        LedgerPostResult[] again = await ledger.ChargeManyAsync(charges, 4, default);

        Assert.All(paid, result => Posted(result));
        Assert.All(charged, result => Posted(result));
        Assert.All(again, result => Assert.Equal(PostingOutcome.Replayed, result.Outcome));
        for (int k = 0; k < accounts.Length; k++)
        {
            IReadOnlyList<LedgerEntry> stored = await ledger.EntriesAsync(accounts[k], default);
            Assert.Equal([1L, 2L], stored.Select(e => e.Sequence));
            Assert.Equal(["charge:B" + k, "pay:1"], stored.Select(e => e.EntryId).Order(StringComparer.Ordinal));
            Assert.Equal(1000L + k - 500L, LedgerState.Replay(stored).Balance.Fen);
        }
    }

    static string Fields(LedgerEntry e) =>
        $"{e.Sequence}|{e.EntryId}|{e.Kind}|{e.Amount.Fen}|{e.PostedAt:O}|{e.CreditChange.Fen}|{e.BillId}|{e.IssuedOn}|{e.DueDate}|{e.LateFeeThrough}|{e.ReversesEntryId}|{e.Text}|"
        + string.Join(";", e.Allocations.Select(a => $"{a.BillId}:{a.LateFee.Fen}:{a.Principal.Fen}"));
}
