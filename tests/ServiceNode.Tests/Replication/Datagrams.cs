using Replicator.Protocol.Vxlan;

namespace Replicator.ServiceNode.Tests.Replication;

internal static class Datagrams
{
    /// <summary>A VXLAN datagram: header for <paramref name="vni"/> then an inner frame of <paramref name="innerLength"/> patterned bytes.</summary>
    public static byte[] Vxlan(uint vni, int innerLength = 64)
    {
        var d = new byte[VxlanHeader.Size + innerLength];
        new VxlanHeader(vni).Write(d);
        for (int i = 0; i < innerLength; i++) d[VxlanHeader.Size + i] = (byte)(i * 7 + 3);
        return d;
    }
}
