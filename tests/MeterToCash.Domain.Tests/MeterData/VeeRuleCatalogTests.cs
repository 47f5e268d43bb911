using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tests.MeterData;

public class VeeRuleCatalogTests
{
    public static TheoryData<VeeRules> EveryRule() => [.. VeeRuleCatalog.All];

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void RuleSets_EveryRuleButDuplicate_IsInExactlyOneSet(VeeRules rule)
    {
        int sets = new[] { VeeRuleCatalog.Rejecting, VeeRuleCatalog.Suspecting, VeeRuleCatalog.Noting }.Count(set => (set & rule) != 0);

        Assert.Equal(rule == VeeRules.Duplicate ? 0 : 1, sets);
    }

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void Disposition_OfOneFailedRule_FollowsItsAction(VeeRules rule)
    {
        ValueDisposition expected = rule == VeeRules.Duplicate ? ValueDisposition.Duplicate : VeeRuleCatalog.ActionOf(rule) switch
        {
            VeeRuleAction.Reject => ValueDisposition.Rejected,
            VeeRuleAction.Suspect => ValueDisposition.Suspect,
            _ => ValueDisposition.Accepted,
        };

        Assert.Equal(expected, VeeRuleCatalog.Disposition(rule));
    }

    [Fact]
    public void KeptWithValue_NeverHoldsARejectingRule()
    {
        Assert.Equal(VeeRules.None, VeeRuleCatalog.KeptWithValue & VeeRuleCatalog.Rejecting);
        Assert.Equal(VeeRuleCatalog.Suspecting, VeeRuleCatalog.KeptWithValue & VeeRuleCatalog.Suspecting);
    }

    [Fact]
    public void Reasons_DropNotedRulesAndDuplicate()
    {
        VeeRules failed = VeeRules.Spike | VeeRules.OutOfOrder | VeeRules.Duplicate | VeeRules.NegativeConsumption;

        Assert.Equal(VeeRules.Spike | VeeRules.NegativeConsumption, VeeRuleCatalog.Reasons(failed));
    }
}
