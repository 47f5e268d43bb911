using System.Security.Cryptography;
using System.Text;
using MeterToCash.Domain.Payments;

namespace MeterToCash.Domain.Tests.Payments;

public class ChannelRequestSignerTests
{
    const string Secret = "cbef/Dkn642QpEYbA/hHZH8wlFz9Sy5evuLh5FcRUDc=";

    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1764800000);

    [Theory]
    [InlineData(0, true)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void IsWithinClockSkew_300SecondsEitherWay_BothEndsInclusive(long offsetSeconds, bool within) =>
        Assert.Equal(within, ChannelRequestSigner.IsWithinClockSkew(1764800000 + offsetSeconds, Now));

    [Fact]
    public void IsWithinClockSkew_ServerClockBetweenSeconds_ComparesExactInstants()
    {
        // 300.5 s after the timestamp is outside; 299.5 s is inside.
        Assert.False(ChannelRequestSigner.IsWithinClockSkew(1764800000 - 300, Now.AddMilliseconds(500)));
        Assert.True(ChannelRequestSigner.IsWithinClockSkew(1764800000 - 299, Now.AddMilliseconds(500)));
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(253402300800)] // 10000-01-01: beyond DateTimeOffset
    public void IsWithinClockSkew_TimestampBeyondTheCalendar_Outside(long timestamp) =>
        Assert.False(ChannelRequestSigner.IsWithinClockSkew(timestamp, Now));

    [Fact]
    public void StringToSign_SevenPartsJoinedByLf_BodyHashOfRawBytes()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"a\":1}");
        string text = ChannelRequestSigner.StringToSign("BANK-ICBC", 1764800000, "0123456789abcdef", "post", "/api/channels/bank/payments?x=1", body);
        Assert.Equal(
            "v1\nBANK-ICBC\n1764800000\n0123456789abcdef\nPOST\n/api/channels/bank/payments?x=1\n" + Convert.ToHexStringLower(SHA256.HashData(body)),
            text);
        Assert.EndsWith("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ChannelRequestSigner.StringToSign("A", 1, "n", "GET", "/", []), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_IsBase64HmacSha256OfTheSecretBytes_VerifyAcceptsOnlyIt()
    {
        string text = ChannelRequestSigner.StringToSign("BANK-ICBC", 1764800000, "0123456789abcdef", "GET", "/api/x", []);
        string expected = "v1=" + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Secret), Encoding.UTF8.GetBytes(text)));
        Assert.Equal(expected, ChannelRequestSigner.Sign(Secret, text));
        Assert.True(ChannelRequestSigner.Verify(Secret, text, expected));
        Assert.False(ChannelRequestSigner.Verify(Secret, text + "x", expected));
        Assert.False(ChannelRequestSigner.Verify(Secret, text, expected[3..]));
        Assert.False(ChannelRequestSigner.Verify(Secret, text, "v1=not base64!"));
        Assert.False(ChannelRequestSigner.Verify(Secret, text, null));
        Assert.False(ChannelRequestSigner.Verify("not base64!", text, expected));
    }

    [Fact]
    public void Verify_SecretLongerThan256Bytes_AcceptsItsSignature()
    {
        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(300));
        string text = ChannelRequestSigner.StringToSign("BANK-ICBC", 1764800000, "0123456789abcdef", "GET", "/api/x", []);

        Assert.True(ChannelRequestSigner.Verify(secret, text, ChannelRequestSigner.Sign(secret, text)));
        Assert.False(ChannelRequestSigner.Verify(secret, text, ChannelRequestSigner.Sign(Secret, text)));
    }

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("0123456789abcde", false)]
    [InlineData("0123456789abcdef-ABCDEF", true)]
    [InlineData("0123456789abcdef_", false)]
    public void IsNonce_SixteenToSixtyFourOfTheAlphabet(string nonce, bool valid) => Assert.Equal(valid, ChannelRequestSigner.IsNonce(nonce));

    [Theory]
    [InlineData("BANK-ICBC", true)]
    [InlineData("bank-icbc", false)]
    [InlineData("AB", false)]
    public void IsChannelId_UpperCaseDigitsDash(string id, bool valid) => Assert.Equal(valid, ChannelRequestSigner.IsChannelId(id));

    [Theory]
    [InlineData("陈小明", "陈*")]
    [InlineData("欧阳娜娜", "欧*")]
    [InlineData("Zhang Wei", "Z*")]
    [InlineData("", "*")]
    [InlineData("𠀋先生", "𠀋*")]
    public void NameMask_FirstCharacterThenStar(string name, string masked) => Assert.Equal(masked, NameMask.Mask(name));
}
