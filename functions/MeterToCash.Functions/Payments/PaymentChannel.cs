using MeterToCash.Domain.Payments;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// One calling system: a bank's collection service, one kiosk device or the counter system. The secret is base64 of 32+
/// random bytes and never leaves the app (not in logs, not in answers; <see cref="ToString"/> leaves it out).
/// </summary>
public sealed record PaymentChannel(string Id, ChannelKind Kind, string Secret, bool Enabled, string? Location = null, string? Operator = null)
{
    public override string ToString() => $"{Id} ({Kind}, {(Enabled ? "enabled" : "disabled")})";
}
