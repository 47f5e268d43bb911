using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Segments;

namespace MeterToCash.Domain.Tests.Segments;

public class SegmentRulesTests
{
    static readonly double[] Evening = Profile(h => h is >= 18 and < 22 ? 4 : 1);
    static readonly double[] Night = Profile(h => h < 8 || h >= 22 ? 3 : 1);

    static double[] Profile(Func<int, double> weight) => LoadShapes.Normalise([.. Enumerable.Range(0, 24).Select(weight)])!;

    static AccountFacts Facts(double kwh = 1_200, int months = 12, long revenueFen = 60_000, bool ledger = false, long overdueFen = 0, int daysOverdue = 0, int lateFeeMonths = 0,
        CreditGrade credit = CreditGrade.A, CustomerClass cls = CustomerClass.Residential, string tariff = "SH-RES-TOU", double[]? profile = null) =>
        new("3100000001", cls, credit, [tariff], profile ?? Evening, 28, kwh, months, revenueFen, ledger, overdueFen, daysOverdue, lateFeeMonths);

    [Theory]
    [InlineData(150_000, 12, 0L, "high-value")]
    [InlineData(1_000, 12, 6_000_000L, "high-value")]
    [InlineData(2_400, 12, 0L, "medium-value")]
    [InlineData(2_399, 12, 119_999L, "low-value")]
    [InlineData(300, 1, 0L, "medium-value")]
    public void Value_EnergyAndRevenue_ThresholdsInclusive(double kwh, int months, long revenueFen, string expected)
    {
        CustomerSegment segment = SegmentRules.Value(Facts(kwh, months, revenueFen));

        Assert.Equal(expected, segment.Code);
        Assert.Contains(segment.Reasons, r => r.StartsWith("annual energy", StringComparison.Ordinal));
    }

    [Fact]
    public void Value_OneMonthOfData_ScalesToAYearAndSaysSo()
    {
        CustomerSegment segment = SegmentRules.Value(Facts(kwh: 300, months: 1));

        Assert.Equal("annual energy 3,600 kWh (scaled from 300 kWh in 1 month(s) with data)", segment.Reasons[0]);
    }

    [Fact]
    public void Value_NoEnergyNoBills_Unknown() => Assert.Equal("value-unknown", SegmentRules.Value(Facts(kwh: 0, months: 0, revenueFen: 0)).Code);

    [Theory]
    [InlineData(CreditGrade.AAA, "payment-good")]
    [InlineData(CreditGrade.A, "payment-good")]
    [InlineData(CreditGrade.B, "payment-watch")]
    [InlineData(CreditGrade.C, "payment-risk")]
    public void Payment_NoLedgerHistory_FollowsCreditGrade(CreditGrade grade, string expected)
    {
        CustomerSegment segment = SegmentRules.Payment(Facts(credit: grade));

        Assert.Equal(expected, segment.Code);
        Assert.Equal($"no ledger history yet: archive credit grade {grade}", Assert.Single(segment.Reasons));
    }

    [Theory]
    [InlineData(0L, 0, 0, "payment-good")]
    [InlineData(5_000L, 29, 0, "payment-watch")]
    [InlineData(5_000L, 30, 0, "payment-risk")]
    [InlineData(0L, 0, 1, "payment-watch")]
    [InlineData(0L, 0, 3, "payment-risk")]
    public void Payment_WithLedger_ArrearsAndLateFees(long overdueFen, int daysOverdue, int lateFeeMonths, string expected)
    {
        CustomerSegment segment = SegmentRules.Payment(Facts(ledger: true, overdueFen: overdueFen, daysOverdue: daysOverdue, lateFeeMonths: lateFeeMonths, credit: CreditGrade.C));

        Assert.Equal(expected, segment.Code);
        Assert.Contains($"late fees in {lateFeeMonths} of the last 12 months", segment.Reasons);
    }

    [Fact]
    public void ServiceActions_HighValueRiskyFlatNightUser_AllThreeWithRules()
    {
        AccountFacts facts = Facts(kwh: 200_000, ledger: true, overdueFen: 100, daysOverdue: 40, tariff: "SH-RES-FLAT", profile: Night);
        CustomerSegment[] segments = [new(SegmentDimension.LoadShape, "night", ["x"]), SegmentRules.Value(facts), SegmentRules.Payment(facts)];

        IReadOnlyList<RecommendedAction> actions = ServiceActions.For(facts, segments);

        Assert.Equal([ServiceAction.PriorityRepairQueue, ServiceAction.LatePaymentReminder, ServiceAction.TouAdviceCandidate], actions.Select(a => a.Action));
        Assert.Equal("payment-risk: remind before each due date", actions[1].Rule);
        // Night weighs 3 in the 10 hours outside 08–22 h and 1 in the 14 inside: 30 / 44 = 68 %.
        Assert.StartsWith("flat tariff with 68 % of energy outside 08–22 h", actions[2].Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceActions_GoodEveningTouCustomerBelowShiftShare_NoAction()
    {
        AccountFacts facts = Facts();
        CustomerSegment[] segments = [new(SegmentDimension.LoadShape, "evening-peak", ["x"]), SegmentRules.Value(facts), SegmentRules.Payment(facts)];

        Assert.Empty(ServiceActions.For(facts, segments));
    }

    [Theory]
    [InlineData(20, "evening-peak")]
    [InlineData(12, "daytime")]
    [InlineData(3, "night")]
    public void LoadShapes_PeakHour_NamesCentroid(int peakHour, string expected) =>
        Assert.Equal(expected, LoadShapes.Name(Profile(h => h == peakHour ? 5 : 1)));

    [Fact]
    public void LoadShapes_FlatDay_AroundTheClock() => Assert.Equal("around-the-clock", LoadShapes.Name(Profile(h => h < 12 ? 1.0 : 1.5)));

    [Fact]
    public void CustomerSegment_BadCode_Throws() => Assert.Throws<ArgumentException>(() => new CustomerSegment(SegmentDimension.Value, "High Value", []));
}
