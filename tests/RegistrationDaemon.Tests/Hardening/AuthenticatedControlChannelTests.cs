using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;

namespace Replicator.RegistrationDaemon.Tests.Hardening;

/// <summary>vxrd's control channel with a key file, against a stand-in service node on loopback.</summary>
public sealed class AuthenticatedControlChannelTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("vxrd-auth-");

    public void Dispose() => _temp.Delete(recursive: true);

    private (ControlAuthentication Auth, AuthKeyRing Ring) Authentication()
    {
        byte[] key = AuthKeyRing.GenerateKey();
        string path = Path.Combine(_temp.FullName, "keys");
        File.WriteAllText(path, AuthKeyFileFormat.FormatLine(4, key, primary: true));
        var settings = new ControlAuthenticationSettings(path, TimeSpan.FromSeconds(30), 1024, TimeSpan.FromSeconds(10), "RegistrationDaemon:Authentication:KeyFile");
        return (new ControlAuthentication(settings, TimeProvider.System, NullLogger<ControlAuthentication>.Instance), new AuthKeyRing([new(4, key)], 4));
    }

    [Fact]
    public async Task SendAndReceive_WithKeyFile_RegistrationsSignedPeerListsVerifiedBadOnesCounted()
    {
        var (auth, ring) = Authentication();
        var address = IPAddress.Loopback;
        using var serviceNode = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        serviceNode.Bind(new IPEndPoint(address, 0));
        int port = ((IPEndPoint)serviceNode.LocalEndPoint!).Port;
        using var meters = new TestMeters();
        using var channel = new UdpControlChannel(new StaticSettings(address, port, null, TimeSpan.FromSeconds(10), [], "/tmp/x"),
            new RegistrationMetrics(meters, new FakeTimeProvider()), NullLogger<UdpControlChannel>.Instance, auth);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var updates = channel.ReceiveAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = updates.MoveNextAsync();

        var entries = Enumerable.Range(1, 600).Select(v => new VniAddress((uint)v, IPAddress.Parse("192.0.2.5"))).ToList();
        int sent = channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), entries, WantPeerLists: true));
        Assert.True(sent > 1);
        var verifier = new ControlMessageVerifier(ring, new ReplayGuard(TimeProvider.System));
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(address, 0);
        for (int i = 0; i < sent; i++)
        {
            var r = await serviceNode.ReceiveFromAsync(buffer, SocketFlags.None, from, cts.Token);
            from = r.RemoteEndPoint;
            Assert.True(r.ReceivedBytes <= ControlLimits.DefaultMaxDatagramBytes);
            Assert.Equal(ControlVerification.Ok, verifier.Verify(buffer.AsSpan(0, r.ReceivedBytes)));
        }

        var list = new PeerListMessage(90, [new VniAddresses(100, [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")])]);
        await serviceNode.SendToAsync(ControlCodec.Encode(list), SocketFlags.None, from, cts.Token); // unsigned
        byte[] foreign = ControlCodec.Encode(list, reserveAuthenticationTrailer: true);
        new AuthKeyRing([new(4, AuthKeyRing.GenerateKey())], 4).Sign(foreign, TimeProvider.System);
        await serviceNode.SendToAsync(foreign, SocketFlags.None, from, cts.Token); // bad signature
        byte[] good = ControlCodec.Encode(list with { Generation = 2 }, reserveAuthenticationTrailer: true);
        ring.Sign(good, TimeProvider.System);
        await serviceNode.SendToAsync(good, SocketFlags.None, from, cts.Token);
        Assert.True(await next);
        Assert.Equal(2, updates.Current.Members[100].Count);
        var afterReplay = updates.MoveNextAsync(); // keeps the receive loop running
        await serviceNode.SendToAsync(good, SocketFlags.None, from, cts.Token); // replayed
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (meters.Total("vxrd.control.dropped", "reason=replayed") == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=unsigned"));
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=bad_signature"));
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=replayed"));
        Assert.False(afterReplay.IsCompleted, "a replayed peer list must not be delivered");
        cts.Cancel();
        try { await afterReplay; } catch (OperationCanceledException) { }
    }
}
