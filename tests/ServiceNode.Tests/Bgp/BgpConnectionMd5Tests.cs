using System.Net;
using System.Net.Sockets;
using System.Text;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Bgp;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>
/// TCP-MD5 (RFC 2385) through <c>TCP_MD5SIG</c>, with the kernel as the judge: on 127.0.0.1 in a
/// namespace of its own, a listener that requires a key accepts the speaker's connection with the
/// same key, and never sees one with another key or none (the kernel drops unsigned or wrongly
/// signed segments, so the connect times out).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class BgpConnectionMd5Tests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("replicator-test-key");

    [KernelFact]
    public async Task Connect_SameKey_Connects_OtherKeyOrNone_DoesNot()
    {
        using var ns = NetworkNamespace.Create("bgpmd5");
        ns.Exec("ip", "link", "set", "lo", "up");
        using Socket listener = ns.Enter(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        Assert.Equal(Errno.SUCCESS, LibC.SetTcpMd5Signature((int)listener.SafeHandle.DangerousGetHandle(), IPAddress.Loopback, Key));
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var peer = (IPEndPoint)listener.LocalEndPoint!;
        Socket InNamespace(AddressFamily family) => ns.Enter(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

        using (BgpConnection signed = await BgpConnection.ConnectAsync(peer, null, Key, TimeProvider.System, InNamespace, CancellationToken.None))
        {
            using var accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        foreach (byte[]? key in new[] { Encoding.UTF8.GetBytes("another-key"), null })
        {
            // The 10 s connect timeout runs on the real clock here: a connect that never completes ends in TimedOut.
            var error = await Assert.ThrowsAsync<SocketException>(() =>
                BgpConnection.ConnectAsync(peer, null, key, TimeProvider.System, InNamespace, CancellationToken.None));
            Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        }
    }
}
