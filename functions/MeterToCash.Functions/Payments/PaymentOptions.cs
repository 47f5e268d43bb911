using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Payments;

/// <summary>Settings <c>Payments__*</c>. The channels themselves are <c>Channels__{id}__Kind|Secret|Enabled</c> (see <see cref="ChannelDirectory"/>).</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Largest channel request body, bytes (64 KiB); 413 <c>body-too-large</c> above.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>How long a nonce is remembered: 15 minutes, more than the ±300 s window a signed request is accepted in.</summary>
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Seconds after which a transaction still marked pending is taken as left by a crashed request and finished (or
    /// undone) by the sweep or a day close (default 60; more than any request takes).
    /// </summary>
    [Range(1, 3600)]
    public int PendingStaleSeconds { get; set; } = 60;

    /// <summary>
    /// Test hook for the crash tests only (unset in every deployment): after this step of a payment (<c>claim</c>,
    /// <c>ledger</c> or <c>journal</c>) a first send waits 60 s (a repeat does not), so a test can SIGKILL the host between two writes.
    /// </summary>
    public string? TestPauseAfter { get; set; }

    /// <summary>NCRONTAB of the sweep that finishes stale pending transactions and purges expired nonces (every minute).</summary>
    [Required]
    public string SweepSchedule { get; set; } = "0 * * * * *";
}
