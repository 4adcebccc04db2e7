namespace Replicator.Hosting.Logging;

/// <summary>
/// Log event ids <see cref="First"/>..<see cref="Last"/> (inclusive), owned by the log methods
/// declared in namespace <see cref="Owner"/> and the namespaces below it.
/// </summary>
public sealed record EventIdRange(int First, int Last, string Owner, string Feature)
{
    public bool Contains(int id) => id >= First && id <= Last;

    /// <summary>True when <paramref name="ns"/> is <see cref="Owner"/> or a namespace below it.</summary>
    public bool Owns(string? ns) =>
        ns is not null && (ns == Owner || ns.StartsWith(Owner + ".", StringComparison.Ordinal));

    public override string ToString() => $"{First}-{Last} {Owner}";
}
