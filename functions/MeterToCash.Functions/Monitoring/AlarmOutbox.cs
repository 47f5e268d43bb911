using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Monitoring;

/// <summary>
/// Sends alarm notifications a process stored but did not get to send (it died between the row write and the queue
/// send). Each change's outbox row is written in the same transaction as the alarm, so nothing is lost; rows younger
/// than <see cref="MonitoringOptions.OutboxGrace"/> are left to the writer that is still sending them.
/// </summary>
public sealed class AlarmOutbox(AlarmStore alarms, TimeProvider time, IOptions<MonitoringOptions> options, ILogger<AlarmOutbox> logger)
{
    [Function(nameof(DrainAlarmOutbox))]
    public async Task DrainAlarmOutbox([TimerTrigger("%Monitoring__OutboxSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        int sent = await alarms.DrainOutboxAsync(time.GetUtcNow() - options.Value.OutboxGrace, cancellationToken);
        if (sent > 0)
        {
            logger.OutboxDrained(sent);
        }
    }
}
