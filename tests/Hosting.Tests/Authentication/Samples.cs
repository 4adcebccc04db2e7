using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Hosting.Tests.Authentication;

/// <summary>Example messages for the signing and verifying tests; documentation addresses only.</summary>
internal static class Samples
{
    public static IPAddress A(string s) => IPAddress.Parse(s);

    public static RegisterMessage RegisterIpv4 => new(
        "vtep-a", 90, false, WireResponseWanted.RegisteredVnis,
        [new VniAddresses(100, [A("192.0.2.1")]), new VniAddresses(200, [A("192.0.2.1")])]);
}
