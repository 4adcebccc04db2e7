namespace Replicator.ServiceNode.Registry;

/// <summary>An immutable copy of the registry's sizes, refreshed by the loop after every batch, for readers on other threads (metrics, status).</summary>
internal sealed record RegistryCounts(int Entries, int Vnis, long Registered, long Relayed, long Learned, long Static, long Evpn = 0)
{
    public static readonly RegistryCounts Empty = new(0, 0, 0, 0, 0, 0);

    /// <summary>Addresses refused, by (origin, refusal): see <see cref="Registry.RefusedCount"/>.</summary>
    public IReadOnlyDictionary<(EntrySource Origin, Hosting.Addressing.AddressRefusal Refusal), long> AddressRefusals { get; init; } =
        new Dictionary<(EntrySource, Hosting.Addressing.AddressRefusal), long>();

    public long BySource(EntrySource source) => source switch
    {
        EntrySource.Registered => Registered,
        EntrySource.Relayed => Relayed,
        EntrySource.Learned => Learned,
        EntrySource.Evpn => Evpn,
        _ => Static,
    };

    internal static RegistryCounts From(Registry registry) => new(
        registry.EntryCount,
        registry.VniCount,
        registry.CountBySource(EntrySource.Registered),
        registry.CountBySource(EntrySource.Relayed),
        registry.CountBySource(EntrySource.Learned),
        registry.CountBySource(EntrySource.Static),
        registry.CountBySource(EntrySource.Evpn))
    {
        AddressRefusals = registry.RefusalCounts(),
    };
}
