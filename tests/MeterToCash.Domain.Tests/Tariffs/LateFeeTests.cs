using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Tariffs;

public class LateFeeTests
{
    [Theory]
    // Residential 1‰: 100.00 due 31 March, paid 10 April = 10 days: 100 × 0.001 × 10 = 1.00.
    [InlineData(10000, "2025-03-31", "2025-04-10", 0, 10, 100)]
    // Paid on the due date: nothing.
    [InlineData(10000, "2025-03-31", "2025-03-31", 0, 0, 0)]
    // 333.33 × 0.001 × 7 = 2.33331 → 2.33.
    [InlineData(33333, "2025-03-31", "2025-04-07", 0, 7, 233)]
    // 5 grace days: paid 3 April (3 days late) is free; paid 10 April charges 10 − 5 = 5 days: 0.50.
    [InlineData(10000, "2025-03-31", "2025-04-03", 5, 0, 0)]
    [InlineData(10000, "2025-03-31", "2025-04-10", 5, 5, 50)]
    public void Compute_ResidentialRate_MatchesHandWorkedFee(long overdueFen, string due, string paid, int graceDays, int expectedDays, long expectedFen)
    {
        var rule = new LateFeeRule { DailyRate = 0.001m, GraceDays = graceDays };

        LateFeeAssessment fee = LateFee.Compute(rule, new Money(overdueFen), DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(paid, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((expectedDays, expectedFen), (fee.ChargeableDays, fee.Fee.Fen));
    }

    [Fact]
    public void Compute_AcrossNewYear_ChargesCrossYearRateForNewYearDays()
    {
        // Due 25 Dec, paid 5 Jan: 26–31 Dec = 6 days at 2‰, 1–5 Jan = 5 days at 3‰.
        // 1000.00 × (0.002 × 6 + 0.003 × 5) = 1000 × 0.027 = 27.00.
        var rule = new LateFeeRule { DailyRate = 0.002m, CrossYearDailyRate = 0.003m };

        LateFeeAssessment fee = LateFee.Compute(rule, new Money(100000), new DateOnly(2025, 12, 25), new DateOnly(2026, 1, 5));

        Assert.Equal((11, 5, 2700L), (fee.ChargeableDays, fee.CrossYearDays, fee.Fee.Fen));
    }

    [Fact]
    public void Compute_FeeBelowMinimum_RaisedToMinimum()
    {
        // 10.00 × 0.001 × 1 = 0.01, below the 1.00 minimum.
        var rule = new LateFeeRule { DailyRate = 0.001m, Minimum = new Money(100) };

        LateFeeAssessment fee = LateFee.Compute(rule, new Money(1000), new DateOnly(2025, 1, 31), new DateOnly(2025, 2, 1));

        Assert.Equal((100L, true), (fee.Fee.Fen, fee.MinimumApplied));
    }
}
