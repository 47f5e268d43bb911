using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Billing;

/// <summary>
/// What a customer of each class plausibly uses: a daily ceiling in kWh per service point, above which a bill is held
/// whatever the account's own history (a new account has none; a wrong multiplier or a digit slip shows here first).
/// Sample ceilings, generous on purpose (a utility sets its own): residential 100 kWh a day (an 8 kVA supply running at
/// half load all day), general commercial 5,000, agricultural 5,000, large industrial 1,000,000.
/// </summary>
public static class ClassUsage
{
    /// <summary>The daily ceiling of a class, kWh per service point per day.</summary>
    public static decimal DailyCeilingKwh(CustomerClass customerClass) => customerClass switch
    {
        CustomerClass.Residential => 100m,
        CustomerClass.Commercial => 5_000m,
        CustomerClass.Agricultural => 5_000m,
        _ => 1_000_000m,
    };

    /// <summary>The ceiling of a period: the daily ceiling × <paramref name="days"/> × <paramref name="servicePoints"/> (at least one).</summary>
    public static decimal CeilingKwh(CustomerClass customerClass, int days, int servicePoints) =>
        DailyCeilingKwh(customerClass) * Math.Max(0, days) * Math.Max(1, servicePoints);
}
