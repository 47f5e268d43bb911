using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Calendar;

/// <summary>
/// Implemented by a feature that depends on day types (e.g. totals banded per day) to hear that a year's calendar was
/// published for the first time or corrected. Register it with
/// <c>services.AddSingleton&lt;ICalendarChangeListener, MyListener&gt;()</c>.
/// </summary>
/// <remarks>
/// Called after the write, only when it changed something, once per listener. The publish stands whatever a listener
/// does: one that throws is logged and the others are still called, and republishing the same content does not call
/// listeners again. A listener should therefore only record or enqueue its work durably and return.
/// </remarks>
public interface ICalendarChangeListener
{
    /// <summary>The calendar of <paramref name="year"/> is now at <paramref name="revision"/> (1 on first publish).</summary>
    /// <param name="year">The year published.</param>
    /// <param name="revision">Its revision now.</param>
    /// <param name="durable">The durable client of the publishing request, for a listener whose work is an orchestration.</param>
    /// <param name="ct">Cancels the call.</param>
    Task CalendarPublishedAsync(int year, int revision, DurableTaskClient durable, CancellationToken ct);
}
