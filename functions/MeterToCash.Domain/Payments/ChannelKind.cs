namespace MeterToCash.Domain.Payments;

/// <summary>What kind of system a payment channel is; a channel may only call its own kind's endpoints.</summary>
public enum ChannelKind
{
    /// <summary>A bank's collection service (代收): online and mobile banking.</summary>
    Bank,

    /// <summary>One self-service kiosk device (自助缴费终端).</summary>
    Kiosk,

    /// <summary>The service-counter system (营业厅).</summary>
    Counter,
}
