namespace MeterToCash.Domain.Segments;

/// <summary>What the service desk does differently for an account, decided from its segments by <see cref="ServiceActions"/>.</summary>
public enum ServiceAction
{
    /// <summary>Its faults go to the front of the repair queue.</summary>
    PriorityRepairQueue,

    /// <summary>It gets a reminder before the due date of each bill.</summary>
    LatePaymentReminder,

    /// <summary>An account manager offers time-of-use advice.</summary>
    TouAdviceCandidate,
}
