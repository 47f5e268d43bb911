using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Common;

public class EnumNamesTests
{
    [Theory]
    [InlineData("Residential", true)]
    [InlineData("Commercial", true)]
    [InlineData("residential", false)]
    [InlineData("Residential, Commercial", false)]
    [InlineData("Residential,Commercial", false)]
    [InlineData(" Residential", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParse_Text_AcceptsExactlyOneDeclaredName(string? text, bool accepted)
    {
        Assert.Equal(accepted, EnumNames.TryParse(text, out CustomerClass value));
        Assert.Equal(accepted ? Enum.Parse<CustomerClass>(text!) : default, value);
    }

    [Fact]
    public void TryParse_CommaJoinedCreditGrades_Refused()
    {
        // Enum.TryParse reads "A,B" as a flags combination and returns a member: the bug this parser replaces.
        Assert.True(Enum.TryParse("A,B", out CreditGrade _));
        Assert.False(EnumNames.TryParse("A,B", out CreditGrade _));
    }
}
