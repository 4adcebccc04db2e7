using System.Net;
using Replicator.Hosting.Authentication;

namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>How <see cref="ChurnLoad"/> behaves.</summary>
/// <param name="ServiceNode">Control endpoint of the vxsnd under test.</param>
/// <param name="Vteps">Simulated VTEPs; VTEP i sends from, and registers, <see cref="VtepAddress"/>(i).</param>
/// <param name="Duration">How long the churn runs (a final full refresh follows).</param>
/// <param name="Seed">Determines every operation.</param>
/// <param name="Vnis">Pool of VNIs the VTEPs join and leave: 1000 .. 1000 + Vnis - 1.</param>
/// <param name="MaxVnisPerVtep">A VTEP joins at most this many VNIs at once.</param>
/// <param name="OperationsPerSecond">Join, leave and refresh operations per second over all VTEPs.</param>
/// <param name="HoldTime">Hold time of every registration (long: the test checks churn, not expiry).</param>
/// <param name="DataPlane">When set, BUM datagrams are sent there from VTEPs in their VNIs.</param>
/// <param name="DataPerSecond">BUM datagrams per second.</param>
/// <param name="Keys">Signs every control datagram when set.</param>
/// <param name="AddressBase">First octets of the VTEP addresses (loopback).</param>
public sealed record ChurnSettings(
    IPEndPoint ServiceNode,
    int Vteps = 200,
    TimeSpan Duration = default,
    int Seed = 1,
    int Vnis = 64,
    int MaxVnisPerVtep = 8,
    int OperationsPerSecond = 400,
    uint HoldTime = 600,
    IPEndPoint? DataPlane = null,
    int DataPerSecond = 200,
    AuthKeyRing? Keys = null,
    string AddressBase = "127.1")
{
    public const uint FirstVni = 1000;

    /// <summary>VTEP i's address: 127.1.x.y (loopback, so copies to it stay on the host or namespace).</summary>
    public IPAddress VtepAddress(int i) => IPAddress.Parse($"{AddressBase}.{i / 250}.{i % 250 + 1}");

    public static string NodeId(int i) => $"churn-vtep-{i}";
}
