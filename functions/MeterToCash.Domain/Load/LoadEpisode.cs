namespace MeterToCash.Domain.Load;

/// <summary>A stretch of heavy or overloaded intervals found by <see cref="LoadEpisodeDetector"/>.</summary>
/// <param name="Level">Heavy or overload.</param>
/// <param name="StartSlot">First interval of the run (index into the series given to the detector).</param>
/// <param name="ConfirmedSlot">Interval whose end makes the episode certain (the N-th consecutive heavy interval; for an overload the start).</param>
/// <param name="EndSlot">First interval with a value below the threshold (the episode ended at its start), or null when it lasts to the end of the series.</param>
public sealed record LoadEpisode(LoadLevel Level, int StartSlot, int ConfirmedSlot, int? EndSlot);
