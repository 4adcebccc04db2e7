namespace Replicator.Hosting.Health;

/// <summary>
/// The daemon's readiness: ready when every registered condition is met. Components register
/// a named condition (<c>"sockets bound"</c>, <c>"initial state loaded"</c>) as early as possible,
/// ideally in their constructor or through <c>AddObservability(..., readinessConditions)</c>,
/// and mark it met when true. <c>/readyz</c> and the systemd <c>READY=1</c> notification read it.
/// Thread-safe; changes are rare, so a lock is fine.
/// </summary>
public sealed class ReadinessState
{
    /// <summary>Condition the observability layer meets itself once every hosted service has started.</summary>
    public const string HostStarted = "host started";

    private readonly object _gate = new();
    private readonly List<ReadinessCondition> _conditions = [];
    private TaskCompletionSource _ready = NewSource();
    private volatile bool _isReady = true;

    public ReadinessState()
    {
        Register(HostStarted);
    }

    /// <summary>Raised after any condition changes, outside the lock.</summary>
    public event Action<ReadinessState>? Changed;

    /// <summary>True when every registered condition is met.</summary>
    public bool IsReady => _isReady;

    /// <summary>
    /// Registers a condition, initially unmet, or returns the existing one of that name
    /// (names compare ordinally), so a condition pre-registered at startup and the component
    /// that meets it share one handle.
    /// </summary>
    public ReadinessCondition Register(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ReadinessCondition condition;
        lock (_gate)
        {
            foreach (var existing in _conditions)
            {
                if (existing.Name == name)
                {
                    return existing;
                }
            }

            condition = new ReadinessCondition(this, name);
            _conditions.Add(condition);
            Recompute();
        }

        Changed?.Invoke(this);
        return condition;
    }

    /// <summary>Marks the named condition met or unmet, registering it first when needed.</summary>
    public void Set(string name, bool met) => Register(name).Set(met);

    /// <summary>The names of the conditions not met yet, in registration order.</summary>
    public IReadOnlyList<string> UnmetConditions()
    {
        lock (_gate)
        {
            var unmet = new List<string>();
            foreach (var c in _conditions)
            {
                if (!c.IsMet)
                {
                    unmet.Add(c.Name);
                }
            }

            return unmet;
        }
    }

    /// <summary>Every condition with its state, in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, bool>> Snapshot()
    {
        lock (_gate)
        {
            var all = new List<KeyValuePair<string, bool>>(_conditions.Count);
            foreach (var c in _conditions)
            {
                all.Add(new(c.Name, c.IsMet));
            }

            return all;
        }
    }

    /// <summary>Completes when the daemon is ready (at once if it already is).</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            ready = _ready.Task;
        }

        return ready.WaitAsync(cancellationToken);
    }

    internal void OnConditionChanged(ReadinessCondition condition, bool met)
    {
        lock (_gate)
        {
            if (condition.IsMetUnsafe == met)
            {
                return;
            }

            condition.IsMetUnsafe = met;
            Recompute();
        }

        Changed?.Invoke(this);
    }

    // Caller holds _gate.
    private void Recompute()
    {
        bool ready = true;
        foreach (var c in _conditions)
        {
            ready &= c.IsMetUnsafe;
        }

        if (ready && !_isReady)
        {
            _ready.TrySetResult();
        }
        else if (!ready && _ready.Task.IsCompleted)
        {
            _ready = NewSource();
        }

        _isReady = ready;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
