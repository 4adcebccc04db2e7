using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>Which peer lists answer a registration: an unsigned source only learns the VNIs it is a member of.</summary>
public class AnswerScopeTests
{
    private static readonly VtepAddress Member = Address("192.0.2.11");
    private static readonly IPEndPoint Victim = new(IPAddress.Parse("192.0.2.20"), 4000);

    private static VtepAddress Address(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    private static ServiceNode.Registry.Registry Filled()
    {
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(1000, 1000, TimeSpan.FromSeconds(90)), new FakeTimeProvider(), new MemberTable());
        for (uint vni = 1; vni <= 50; vni++)
            Assert.True(registry.Apply(new Registration("member", TimeSpan.FromSeconds(90), false, ResponseWanted.None, [new VniRegistration(vni, [Member])])).Succeeded);
        return registry;
    }

    private static Registration Asking(ResponseWanted response, IPEndPoint from, params uint[] vnis) =>
        new("asker", TimeSpan.FromSeconds(90), false, response, [.. vnis.Select(v => new VniRegistration(v, [VtepAddress.FromIPAddress(from.Address)]))], from);

    [Fact]
    public void Vnis_UnsignedAllVnisHoldingNothing_Nothing()
    {
        // Probe 2: an empty Register asking for AllVnis with a victim's source address.
        var registry = Filled();
        Assert.Empty(AnswerScope.Vnis(registry, Asking(ResponseWanted.AllVnis, Victim), authenticated: false));
    }

    [Fact]
    public void Vnis_UnsignedAllVnis_OnlyTheVnisTheSourceHolds()
    {
        var registry = Filled();
        var registration = Asking(ResponseWanted.AllVnis, Victim, 7, 60);
        Assert.True(registry.Apply(registration).Succeeded);
        Assert.Equal([7u, 60u], AnswerScope.Vnis(registry, registration, authenticated: false).Order());
        var mapped = registration with { ReplyTo = new IPEndPoint(Victim.Address.MapToIPv6(), Victim.Port) };
        Assert.Equal([7u, 60u], AnswerScope.Vnis(registry, mapped, authenticated: false).Order());
    }

    [Fact]
    public void Vnis_UnsignedRegisteredVnisNotHeld_Nothing()
    {
        // A withdrawal (or a VNI listed without addresses) asking for its VNIs' lists: the source holds none of them.
        var registry = Filled();
        var registration = new Registration("asker", TimeSpan.Zero, false, ResponseWanted.RegisteredVnis,
            [new VniRegistration(1, []), new VniRegistration(2, [])], Victim);
        Assert.True(registry.Apply(registration).Succeeded);
        Assert.Empty(AnswerScope.Vnis(registry, registration, authenticated: false));
    }

    [Fact]
    public void Vnis_Signed_AsAskedAsBefore()
    {
        var registry = Filled();
        Assert.Equal(50, AnswerScope.Vnis(registry, Asking(ResponseWanted.AllVnis, Victim), authenticated: true).Count);
        var registration = new Registration("asker", TimeSpan.Zero, false, ResponseWanted.RegisteredVnis, [new VniRegistration(3, []), new VniRegistration(3, [])], Victim);
        Assert.Equal([3u], AnswerScope.Vnis(registry, registration, authenticated: true));
    }
}
