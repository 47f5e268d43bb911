using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Tariffs;

public class TariffJsonTests
{
    private const string Valid = """
        {
          "id": "t", "name": "test", "kind": "residentialLadder",
          "versions": [
            {
              "version": "v1", "effectiveFrom": "2025-01-01",
              "energy": { "singlePrice": 0.5 },
              "ladder": { "period": "annual", "tiers": [ { "upToKwh": 100, "surcharge": 0 }, { "upToKwh": 200, "surcharge": 0.05 }, { "surcharge": 0.3 } ] }
            }
          ]
        }
        """;

    [Fact]
    public void SampleNames_Library_ShipsFiveSamples() =>
        Assert.Equal(["agricultural", "commercial-tou", "large-industrial-two-part", "shanghai-residential-ladder", "shanghai-residential-tou"], TariffJson.SampleNames);

    [Theory]
    [InlineData("agricultural", TariffKind.GeneralCommercial)]
    [InlineData("commercial-tou", TariffKind.GeneralCommercial)]
    [InlineData("large-industrial-two-part", TariffKind.LargeIndustrialTwoPart)]
    [InlineData("shanghai-residential-ladder", TariffKind.ResidentialLadder)]
    [InlineData("shanghai-residential-tou", TariffKind.ResidentialLadder)]
    public void LoadSample_EachSample_LoadsAndIsMarkedSample(string name, TariffKind kind)
    {
        TariffLoadResult result = TariffJson.LoadSample(name);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Equal(kind, result.Tariff.Kind);
        Assert.True(result.Tariff.IsSample);
        Assert.Contains("verify", result.Tariff.SampleNote, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LoadSample_Agricultural_IsOneExactPriceWithoutLadderOrBasicCharge()
    {
        TariffLoadResult result = TariffJson.LoadSample("agricultural");

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        TariffVersion version = Assert.Single(result.Tariff.Versions);
        Assert.Equal(0.50m, version.Energy.SinglePrice);
        Assert.False(version.Energy.IsTimeOfUse);
        Assert.Null(version.Ladder);
        Assert.Null(version.Basic);
    }

    [Fact]
    public void Load_ValidDocument_ReadsPricesExactly()
    {
        TariffLoadResult result = TariffJson.Load(Valid);

        Assert.True(result.IsSuccess);
        TariffVersion v = result.Tariff.Versions[0];
        Assert.Equal(0.5m, v.Energy.SinglePrice);
        Assert.Equal([new LadderTier(100m, 0m), new LadderTier(200m, 0.05m), new LadderTier(null, 0.3m)], v.Ladder!.Tiers);
    }

    [Theory]
    [InlineData("\"upToKwh\": 200", "\"upToKwh\": 50", "$.versions[0].ladder.tiers[1].upToKwh")]
    [InlineData("\"upToKwh\": 100", "\"upToKwh\": 100.5", "$.versions[0].ladder.tiers[0].upToKwh")]
    [InlineData("{ \"surcharge\": 0.3 }", "{ \"upToKwh\": 300, \"surcharge\": 0.3 }", "$.versions[0].ladder.tiers[2].upToKwh")]
    [InlineData("\"singlePrice\": 0.5", "\"singlePrice\": -0.5", "$.versions[0].energy.singlePrice")]
    [InlineData("\"singlePrice\": 0.5", "\"singlePrice\": \"0.5\"", "$.versions[0].energy.singlePrice")]
    [InlineData("\"singlePrice\": 0.5", "\"singlPrice\": 0.5", "$.versions[0].energy.singlPrice")]
    [InlineData("\"effectiveFrom\": \"2025-01-01\"", "\"effectiveFrom\": \"2025-13-01\"", "$.versions[0].effectiveFrom")]
    [InlineData("\"kind\": \"residentialLadder\"", "\"kind\": \"residential\"", "$.kind")]
    [InlineData("\"period\": \"annual\"", "\"period\": \"weekly\"", "$.versions[0].ladder.period")]
    [InlineData("\"energy\": { \"singlePrice\": 0.5 },", "", "$.versions[0].energy")]
    [InlineData("\"energy\": { \"singlePrice\": 0.5 }", "\"energy\": { \"singlePrice\": 0.5, \"bands\": { \"peak\": 0.6 } }", "$.versions[0].energy")]
    [InlineData("\"energy\": { \"singlePrice\": 0.5 },", "\"energy\": { \"singlePrice\": 0.5 }, \"powerFactor\": { \"standard\": 0.90 },", "$.versions[0].powerFactor")]
    [InlineData("\"kind\": \"residentialLadder\"", "\"kind\": \"generalCommercial\"", "$.versions[0].ladder")]
    public void Load_BadField_RejectedWithPath(string find, string replace, string expectedPath)
    {
        TariffLoadResult result = TariffJson.Load(Valid.Replace(find, replace, StringComparison.Ordinal));

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Path == expectedPath);
    }

    [Fact]
    public void Load_PowerFactorStandardNotInTable_RejectedWithPath()
    {
        string json = """
            { "id": "t", "name": "t", "kind": "largeIndustrialTwoPart", "versions": [ { "version": "v", "effectiveFrom": "2025-01-01",
              "basic": { "perKvaMonth": 30, "defaultMethod": "capacity" }, "energy": { "singlePrice": 0.6 }, "powerFactor": { "standard": 0.95 } } ] }
            """;

        TariffLoadResult result = TariffJson.Load(json);

        Assert.Equal("$.versions[0].powerFactor.standard", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Load_VersionsOutOfOrder_RejectedWithPath()
    {
        string json = Valid.Replace("\"versions\": [", """
            "versions": [ { "version": "v0", "effectiveFrom": "2026-01-01", "energy": { "singlePrice": 0.5 },
              "ladder": { "period": "annual", "tiers": [ { "surcharge": 0 } ] } },
            """, StringComparison.Ordinal);

        TariffLoadResult result = TariffJson.Load(json);

        TariffError error = Assert.Single(result.Errors);
        Assert.Equal("$.versions[1].effectiveFrom", error.Path);
    }

    [Fact]
    public void Load_ScheduleWithGapAndUnpricedBand_RejectedWithPaths()
    {
        string json = """
            { "id": "t", "name": "t", "kind": "generalCommercial", "versions": [ { "version": "v", "effectiveFrom": "2025-01-01",
              "energy": { "bands": { "peak": 1.0, "valley": 0.3 } },
              "touSchedule": { "seasons": [ { "name": "all", "months": [1,2,3,4,5,6,7,8,9,10,11,12],
                "windows": [ { "band": "valley", "from": "23:00", "to": "06:00" }, { "band": "peak", "from": "06:00", "to": "22:00" } ] } ] } } ] }
            """;

        TariffLoadResult result = TariffJson.Load(json);

        TariffError error = Assert.Single(result.Errors);
        Assert.Equal("$.versions[0].touSchedule.seasons[0].windows", error.Path);
        Assert.Contains("22:00", error.Message, StringComparison.Ordinal);

        TariffLoadResult unpriced = TariffJson.Load(json.Replace("\"23:00\"", "\"22:00\"", StringComparison.Ordinal).Replace("\"band\": \"peak\"", "\"band\": \"flat\"", StringComparison.Ordinal));
        Assert.Equal("$.versions[0].touSchedule.seasons[0].windows[1].band", Assert.Single(unpriced.Errors).Path);
    }

    [Fact]
    public void Load_NotJson_RejectedWithPosition()
    {
        TariffLoadResult result = TariffJson.Load("{ \"id\": ");

        TariffError error = Assert.Single(result.Errors);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rater_InvalidTariffObject_Throws()
    {
        Tariff tariff = TariffJson.Load(Valid).Tariff! with { Versions = [] };

        Assert.Throws<ArgumentException>(() => new TariffRater(tariff));
    }
}
