namespace Replicator.ServiceNode.Registry;

/// <summary>One operator-configured entry: <c>VNI ADDRESS</c>.</summary>
internal readonly record struct StaticEntry(uint Vni, VtepAddress Address)
{
    public override string ToString() => $"{Vni} {Address}";
}
