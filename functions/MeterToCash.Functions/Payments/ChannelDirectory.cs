using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Payments;
using Microsoft.Extensions.Configuration;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// Where channels come from: bank and counter channels from configuration (<c>Channels__{id}__Kind</c>, <c>__Secret</c>,
/// <c>__Enabled</c>; in Azure the secret is a Key Vault reference, resolved by the platform into the setting), kiosks from
/// the device registry (the <c>Kiosks</c> table, written by the kiosk admin API). A configured kiosk kind is ignored:
/// kiosks are devices, registered one by one.
/// </summary>
public sealed class ChannelDirectory(IConfiguration configuration, PaymentStore store, TimeProvider time)
{
    /// <summary>Secret bytes of a newly registered or rotated kiosk.</summary>
    public const int SecretBytes = 32;

    readonly IReadOnlyDictionary<string, PaymentChannel> configured = Load(configuration);

    /// <summary>The configured bank and counter channels.</summary>
    public IEnumerable<PaymentChannel> Configured => configured.Values;

    /// <summary>The channel with this id, or null. Kiosks are read from the registry every time, so disabling one takes effect at once.</summary>
    public async Task<PaymentChannel?> FindAsync(string channelId, CancellationToken ct)
    {
        if (configured.TryGetValue(channelId, out PaymentChannel? channel))
        {
            return channel;
        }

        return await FindKioskAsync(channelId, ct);
    }

    /// <summary>A registered kiosk, or null.</summary>
    public async Task<PaymentChannel?> FindKioskAsync(string deviceId, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await store.Kiosks.GetEntityIfExistsAsync<TableEntity>(PaymentStore.KioskPartition, deviceId, cancellationToken: ct);
        return row.HasValue
            ? new PaymentChannel(deviceId, ChannelKind.Kiosk, row.Value!.GetString("Secret"), row.Value.GetBoolean("Enabled") ?? false, row.Value.GetString("Location"), row.Value.GetString("Operator"))
            : null;
    }

    /// <summary>Every registered kiosk id.</summary>
    public async Task<IReadOnlyList<string>> KioskIdsAsync(CancellationToken ct)
    {
        List<string> ids = [];
        await foreach (TableEntity row in store.Kiosks.QueryAsync<TableEntity>(e => e.PartitionKey == PaymentStore.KioskPartition, select: ["RowKey"], cancellationToken: ct))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <summary>
    /// Registers or updates a kiosk. A new device gets a fresh secret, answered once (the returned secret); an update keeps
    /// the stored secret and answers null. A configured channel id cannot be a kiosk (false, nothing written).
    /// </summary>
    public async Task<(bool Accepted, bool Created, string? Secret)> PutKioskAsync(string deviceId, string location, string @operator, bool enabled, CancellationToken ct)
    {
        if (configured.ContainsKey(deviceId))
        {
            return (false, false, null);
        }

        string secret = NewSecret();
        TableEntity row = new(PaymentStore.KioskPartition, deviceId)
        {
            ["Location"] = location,
            ["Operator"] = @operator,
            ["Enabled"] = enabled,
            ["Secret"] = secret,
            ["RegisteredAt"] = time.GetUtcNow(),
        };
        try
        {
            await store.Kiosks.AddEntityAsync(row, ct);
            return (true, true, secret);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            row.Remove("Secret");
            row.Remove("RegisteredAt");
            await store.Kiosks.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, ct);
            return (true, false, null);
        }
    }

    /// <summary>Gives a registered kiosk a new secret and answers it (once); null for an unknown device.</summary>
    public async Task<string?> RotateKioskSecretAsync(string deviceId, CancellationToken ct)
    {
        if (await FindKioskAsync(deviceId, ct) is null)
        {
            return null;
        }

        string secret = NewSecret();
        await store.Kiosks.UpdateEntityAsync(new TableEntity(PaymentStore.KioskPartition, deviceId) { ["Secret"] = secret }, ETag.All, TableUpdateMode.Merge, ct);
        return secret;
    }

    static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    static Dictionary<string, PaymentChannel> Load(IConfiguration configuration)
    {
        Dictionary<string, PaymentChannel> channels = new(StringComparer.Ordinal);
        foreach (IConfigurationSection section in configuration.GetSection("Channels").GetChildren())
        {
            string id = section.Key;
            if (!ChannelRequestSigner.IsChannelId(id)
                || !Enum.TryParse(section["Kind"], ignoreCase: false, out ChannelKind kind) || kind == ChannelKind.Kiosk
                || section["Secret"] is not { Length: > 0 } secret)
            {
                throw new InvalidOperationException($"Channel setting 'Channels__{id}' needs an id of [A-Z0-9-]{{3,32}}, Kind Bank or Counter and a Secret.");
            }

            byte[] buffer = new byte[secret.Length];
            if (!Convert.TryFromBase64String(secret, buffer, out int length) || length < 32)
            {
                throw new InvalidOperationException($"Channels__{id}__Secret must be base64 of at least 32 bytes.");
            }

            channels[id] = new PaymentChannel(id, kind, secret, !string.Equals(section["Enabled"], "false", StringComparison.OrdinalIgnoreCase));
        }

        return channels;
    }
}
