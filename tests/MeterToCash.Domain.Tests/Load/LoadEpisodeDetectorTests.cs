using MeterToCash.Domain.Load;

namespace MeterToCash.Domain.Tests.Load;

public class LoadEpisodeDetectorTests
{
    static readonly LoadRateSettings Settings = new(0.9m, 0.80m, 1.00m, 3);

    [Fact]
    public void Find_ThreeConsecutiveAtThreshold_IsHeavyEndingAtFirstLowInterval()
    {
        IReadOnlyList<LoadEpisode> episodes = LoadEpisodeDetector.Find([0.5m, 0.80m, 0.85m, 0.9m, 0.79m, 0.5m], Settings);

        Assert.Equal([new LoadEpisode(LoadLevel.Heavy, 1, 3, 4)], episodes);
    }

    [Fact]
    public void Find_RunShorterThanN_IsNoEpisode() =>
        Assert.Empty(LoadEpisodeDetector.Find([0.9m, 0.9m, 0.5m, 0.9m, 0.9m], Settings));

    [Fact]
    public void Find_GapBreaksCountButNotConfirmedEpisode()
    {
        // 0.9, gap, 0.9, 0.9 → only two after the gap: nothing. Then a confirmed run survives a gap and ends at 0.1.
        IReadOnlyList<LoadEpisode> episodes = LoadEpisodeDetector.Find([0.9m, null, 0.9m, 0.9m, 0.5m, 0.9m, 0.9m, 0.9m, null, 0.9m, 0.1m], Settings);

        Assert.Equal([new LoadEpisode(LoadLevel.Heavy, 5, 7, 10)], episodes);
    }

    [Fact]
    public void Find_OneIntervalAtFullLoad_IsOverloadAndStillOpenAtEnd()
    {
        // 1.00, 0.99, 1.2 are also three heavy intervals: a heavy episode from slot 1, open at the end.
        IReadOnlyList<LoadEpisode> episodes = LoadEpisodeDetector.Find([0.5m, 1.00m, 0.99m, 1.2m], Settings);

        Assert.Equal([new LoadEpisode(LoadLevel.Heavy, 1, 3, null), new LoadEpisode(LoadLevel.Overload, 1, 1, 2), new LoadEpisode(LoadLevel.Overload, 3, 3, null)], episodes);
    }
}
