namespace MeterToCash.Domain.Load;

/// <summary>
/// Finds heavy-load and overload episodes in a series of load rates. Pure.
/// <list type="bullet">
/// <item>Heavy: <see cref="LoadRateSettings.HeavyIntervals"/> consecutive intervals with a rate ≥ the heavy share
/// confirm an episode; an interval without data breaks the count (consecutive means measured back to back), but does
/// not end a confirmed episode. The episode ends at the first measured interval below the heavy share.</item>
/// <item>Overload: one interval ≥ the overload share confirms; it ends at the first measured interval below it.</item>
/// </list>
/// The series may span several days (yesterday then today), so an episode crossing midnight is one episode.
/// </summary>
public static class LoadEpisodeDetector
{
    /// <summary>Every episode of both levels, in order of start within each level (heavy first).</summary>
    public static IReadOnlyList<LoadEpisode> Find(IReadOnlyList<decimal?> rates, LoadRateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(settings);
        List<LoadEpisode> episodes = [];
        Scan(rates, settings.HeavyShare, settings.HeavyIntervals, LoadLevel.Heavy, episodes);
        Scan(rates, settings.OverloadShare, 1, LoadLevel.Overload, episodes);
        return episodes;
    }

    static void Scan(IReadOnlyList<decimal?> rates, decimal threshold, int needed, LoadLevel level, List<LoadEpisode> episodes)
    {
        int run = 0, runStart = -1;
        int? open = null, confirmed = null;
        for (int s = 0; s < rates.Count; s++)
        {
            if (rates[s] is not { } rate)
            {
                run = 0;
                continue;
            }

            if (rate >= threshold)
            {
                if (run == 0)
                {
                    runStart = s;
                }

                run++;
                if (open is null && run >= needed)
                {
                    open = runStart;
                    confirmed = s;
                }
            }
            else
            {
                run = 0;
                if (open is { } start)
                {
                    episodes.Add(new LoadEpisode(level, start, confirmed!.Value, s));
                    open = null;
                    confirmed = null;
                }
            }
        }

        if (open is { } last)
        {
            episodes.Add(new LoadEpisode(level, last, confirmed!.Value, null));
        }
    }
}
