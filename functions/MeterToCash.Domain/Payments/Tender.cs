namespace MeterToCash.Domain.Payments;

/// <summary>How the customer handed over the money at a kiosk or counter.</summary>
public enum Tender
{
    /// <summary>Bank notes.</summary>
    Cash,

    /// <summary>A bank card (UnionPay).</summary>
    BankCard,

    /// <summary>A QR-code wallet payment (Alipay, WeChat Pay, UnionPay QR).</summary>
    QrCode,

    /// <summary>A cheque (counters only).</summary>
    Cheque,
}
