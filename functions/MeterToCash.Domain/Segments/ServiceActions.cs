using System.Globalization;
using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Segments;

/// <summary>
/// The documented rules that turn segments into service actions (docs/segments.md):
/// <list type="bullet">
/// <item><see cref="ServiceAction.PriorityRepairQueue"/>: <c>high-value</c>, or a large-industrial account with an
/// <c>around-the-clock</c> load (an outage stops a process that runs day and night).</item>
/// <item><see cref="ServiceAction.LatePaymentReminder"/>: <c>payment-risk</c> or <c>payment-watch</c>.</item>
/// <item><see cref="ServiceAction.TouAdviceCandidate"/>: on a tariff without time-of-use bands (no "TOU" in its code)
/// with at least <see cref="TouSwitchOffPeakShare"/> of its energy outside 08–22 h (switching would cost it less); or
/// on a time-of-use tariff, <c>evening-peak</c> or <c>daytime</c>, with at least <see cref="TouShiftPeakShare"/> in
/// 08–22 h (shifting load would).</item>
/// </list>
/// </summary>
public static class ServiceActions
{
    /// <summary>Share of energy outside 08–22 h from which a flat-tariff account is advised to switch to time of use.</summary>
    public const double TouSwitchOffPeakShare = 0.4;

    /// <summary>Share of energy in 08–22 h from which a time-of-use account is advised to shift load.</summary>
    public const double TouShiftPeakShare = 0.75;

    /// <summary>The actions the segments call for, each with its rule.</summary>
    public static IReadOnlyList<RecommendedAction> For(AccountFacts facts, IReadOnlyList<CustomerSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(segments);
        string Code(SegmentDimension d) => segments.FirstOrDefault(s => s.Dimension == d)?.Code ?? string.Empty;
        List<RecommendedAction> actions = [];
        string shape = Code(SegmentDimension.LoadShape), value = Code(SegmentDimension.Value), payment = Code(SegmentDimension.Payment);
        if (value == "high-value")
        {
            actions.Add(new(ServiceAction.PriorityRepairQueue, "high-value account"));
        }
        else if (facts.Class == CustomerClass.LargeIndustrial && shape.StartsWith("around-the-clock", StringComparison.Ordinal))
        {
            actions.Add(new(ServiceAction.PriorityRepairQueue, "large-industrial account with an around-the-clock load"));
        }

        if (payment is "payment-risk" or "payment-watch")
        {
            actions.Add(new(ServiceAction.LatePaymentReminder, $"{payment}: remind before each due date"));
        }

        if (facts.HourlyProfile is { } profile)
        {
            double inside = LoadShapes.DaytimeEveningShare(profile);
            bool onTou = facts.TariffCodes.Any(t => t.Contains("TOU", StringComparison.OrdinalIgnoreCase));
            if (!onTou && facts.TariffCodes.Count > 0 && 1 - inside >= TouSwitchOffPeakShare)
            {
                actions.Add(new(ServiceAction.TouAdviceCandidate, string.Create(CultureInfo.InvariantCulture, $"flat tariff with {1 - inside:P0} of energy outside 08–22 h (≥ {TouSwitchOffPeakShare:P0}): a time-of-use tariff would cost less")));
            }
            else if (onTou && (shape.StartsWith("evening-peak", StringComparison.Ordinal) || shape.StartsWith("daytime", StringComparison.Ordinal)) && inside >= TouShiftPeakShare)
            {
                actions.Add(new(ServiceAction.TouAdviceCandidate, string.Create(CultureInfo.InvariantCulture, $"time-of-use tariff, {shape} load with {inside:P0} of energy in 08–22 h (≥ {TouShiftPeakShare:P0}): shifting load to the valley would cost less")));
            }
        }

        return actions;
    }
}
