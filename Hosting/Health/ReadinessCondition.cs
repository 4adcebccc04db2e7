namespace Replicator.Hosting.Health;

/// <summary>One named readiness condition of a <see cref="ReadinessState"/>; starts unmet.</summary>
public sealed class ReadinessCondition
{
    private readonly ReadinessState _owner;

    internal ReadinessCondition(ReadinessState owner, string name)
    {
        _owner = owner;
        Name = name;
    }

    /// <summary>The name shown by <c>/readyz</c> and in the systemd status line.</summary>
    public string Name { get; }

    public bool IsMet => Volatile.Read(ref IsMetUnsafe);

    // Written only under the owner's lock.
    internal bool IsMetUnsafe;

    /// <summary>Marks the condition met (for example once the sockets are bound).</summary>
    public void MarkMet() => Set(true);

    /// <summary>Marks the condition unmet again (for example when a listener is lost).</summary>
    public void MarkUnmet() => Set(false);

    public void Set(bool met) => _owner.OnConditionChanged(this, met);
}
