namespace MeterToCash.Domain.Billing;

/// <summary>One reason to hold a bill.</summary>
public sealed record HoldReason
{
    /// <summary>A reason with its detail.</summary>
    /// <exception cref="ArgumentException"><paramref name="message"/> is empty, or <paramref name="code"/> is not defined.</exception>
    public HoldReason(HoldCode code, string message)
    {
        if (!Enum.IsDefined(code))
        {
            throw new ArgumentException($"Unknown hold code {(int)code}.", nameof(code));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Code = code;
        Message = message;
    }

    /// <summary>The rule that holds the bill.</summary>
    public HoldCode Code { get; }

    /// <summary>What was found, for the reviewer (meter, day, values).</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
