namespace MeterToCash.Tools;

/// <summary>The demo payment channels of <c>local.settings.sample.json</c> (demo secrets, never used outside a laptop).</summary>
public static class DemoChannels
{
    public const string Icbc = "BANK-ICBC", IcbcSecret = "cbef/Dkn642QpEYbA/hHZH8wlFz9Sy5evuLh5FcRUDc=";

    public const string Ccb = "BANK-CCB", CcbSecret = "5Hl6xGfEWPZaP01e/E8zaXKXtcbYk7B0vcdFowv/+uk=";

    public const string Counter = "COUNTER-HQ", CounterSecret = "7OYI+xMrA/CyhlRNDCO+drgHYEAJVFle9VKymKgx5lQ=";

    public const string Kiosk = "KIOSK-0001";
}
