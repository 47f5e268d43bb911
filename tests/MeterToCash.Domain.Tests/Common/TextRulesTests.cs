using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Common;

public class TextRulesTests
{
    [Theory]
    [InlineData("王五", null)]
    [InlineData("O'Brien & Söhne", null)]
    [InlineData("👩‍👩‍👧 family", null)]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("\u200B\u200B", "visible-character-required")]
    [InlineData("\u2060\uFEFF", "visible-character-required")]
    [InlineData("a\u0000b", "no-control-characters")]
    [InlineData("a\nb", "no-control-characters")]
    [InlineData("\u202Eevil", "no-control-characters")]
    [InlineData("x\u2066y", "no-control-characters")]
    [InlineData("\u200Fx", "no-control-characters")]
    public void Check_Value_ReportsTheBrokenRule(string value, string? rule)
    {
        List<ValidationError> errors = [];

        bool ok = TextRules.Check(errors, "name", value, 64, required: true);

        Assert.Equal(rule is null, ok);
        Assert.Equal(rule, errors.SingleOrDefault().Rule);
    }

    [Fact]
    public void Check_LoneSurrogate_NoControlCharacters()
    {
        // Built in code: a test runner's serialisation of InlineData would turn a lone surrogate into U+FFFD.
        List<ValidationError> errors = [];

        Assert.False(TextRules.Check(errors, "name", "x" + (char)0xD800, 64, required: true));
        Assert.Equal("no-control-characters", Assert.Single(errors).Rule);
    }

    [Fact]
    public void Check_OptionalAbsent_NoError()
    {
        List<ValidationError> errors = [];

        Assert.True(TextRules.Check(errors, "note", null, 10, required: false));
        Assert.Empty(errors);
    }

    [Fact]
    public void Check_LongerThanMax_MaxLength()
    {
        List<ValidationError> errors = [];

        Assert.False(TextRules.Check(errors, "note", new string('x', 11), 10, required: false));
        Assert.Equal("max-length", Assert.Single(errors).Rule);
    }
}
