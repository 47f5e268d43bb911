namespace MeterToCash.Domain.Segments;

/// <summary>A service action for an account and the rule that gave it.</summary>
/// <param name="Action">The action.</param>
/// <param name="Rule">The rule, in words, with the account's figures.</param>
public sealed record RecommendedAction(ServiceAction Action, string Rule);
