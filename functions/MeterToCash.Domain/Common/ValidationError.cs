namespace MeterToCash.Domain.Common;

/// <summary>
/// One broken rule of some input: the field (a JSON-style path such as <c>servicePoints[0].meters[1].meterNo</c>),
/// the rule's stable machine name (kebab-case, e.g. <c>required</c>), and a sentence for a person.
/// </summary>
/// <param name="Field">Path of the offending field.</param>
/// <param name="Rule">Stable rule name clients may switch on.</param>
/// <param name="Message">Human-readable explanation.</param>
public readonly record struct ValidationError(string Field, string Rule, string Message);
