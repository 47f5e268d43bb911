namespace MeterToCash.Domain.Load;

/// <summary>Which load condition an episode is.</summary>
public enum LoadLevel
{
    /// <summary>Heavy load (重载): at or above the heavy share for the configured number of consecutive intervals.</summary>
    Heavy = 0,

    /// <summary>Overload (过载): at or above the overload share in any interval.</summary>
    Overload = 1,
}
