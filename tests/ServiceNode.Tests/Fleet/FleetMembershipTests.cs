using System.Net;
using Replicator.Benchmarks.Fleet;

namespace Replicator.ServiceNode.Tests.Fleet;

/// <summary>
/// The fleet simulator's convergence check (tests/Benchmarks/Fleet), without a kernel: a VTEP is
/// converged on a VNI only when it holds exactly the target, and the registry must equal the target.
/// </summary>
public class FleetMembershipTests
{
    private static FleetSettings Settings(int vteps, int vnis, int pool) => new(vteps, vnis, pool, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30),
        TimeSpan.FromSeconds(90), TimeSpan.Zero, TimeSpan.Zero, 1, false, 0, true, 0, -1, -1, TimeSpan.FromSeconds(60), 1, null, []);

    private static FleetMembership Target(FleetSettings s) => new(s.Vteps, i => s.VnisOf(i), FleetSettings.VtepAddress);

    [Fact]
    public void Validate_SameCpuForSimulatorAndVxsnd_Refused()
    {
        Assert.Empty(Settings(5, 1, 1).Validate());
        Assert.Contains((Settings(5, 1, 1) with { SimulatorCpu = 0, VxsndCpu = 0 }).Validate(), e => e.StartsWith("--cpus", StringComparison.Ordinal));
        Assert.Contains((Settings(5, 1, 1) with { SimulatorCpu = 0, VxsndCpu = -1 }).Validate(), e => e.StartsWith("--cpus", StringComparison.Ordinal));
    }

    [Fact]
    public void Holds_ExactTarget_True()
    {
        var target = Target(Settings(5, 1, 1));
        Assert.True(target.Holds(FleetSettings.FirstVni, [.. Enumerable.Range(0, 5).Select(FleetSettings.VtepAddress)]));
    }

    [Fact]
    public void Holds_OneMissingOrOneForeign_False()
    {
        var target = Target(Settings(5, 1, 1));
        var four = Enumerable.Range(0, 4).Select(FleetSettings.VtepAddress).ToList();
        Assert.False(target.Holds(FleetSettings.FirstVni, four));
        Assert.False(target.Holds(FleetSettings.FirstVni, [.. four, IPAddress.Parse("2001:db8:ff::1")]));
        Assert.False(target.Holds(FleetSettings.FirstVni + 1, four));
    }

    [Fact]
    public void VnisOf_PoolLargerThanVnis_DistinctVnisEvenlySpread()
    {
        var settings = Settings(1000, 10, 100);
        Assert.All(Enumerable.Range(0, settings.Vteps), i => Assert.Equal(10, settings.VnisOf(i).Distinct().Count()));
        var target = Target(settings);
        Assert.Equal(100, target.Vnis);
        Assert.Equal(10_000, target.Entries);
        Assert.All(Enumerable.Range(0, 100), k => Assert.Equal(100, target.MembersOf(FleetSettings.FirstVni + (uint)k)));
    }

    [Fact]
    public void CompareWithRegistry_EqualMissingAndUnexpected_NamedEach()
    {
        var target = Target(Settings(3, 2, 2));
        var all = Enumerable.Range(0, 3).SelectMany(i => new[] { (FleetSettings.FirstVni, FleetSettings.VtepAddress(i)), (FleetSettings.FirstVni + 1, FleetSettings.VtepAddress(i)) }).ToList();
        Assert.Empty(target.CompareWithRegistry(all));
        var differences = target.CompareWithRegistry([.. all.Skip(1), (FleetSettings.FirstVni + 7, FleetSettings.VtepAddress(0))]);
        Assert.Equal([$"unexpected {FleetSettings.FirstVni + 7} 2001:db8:1::1", $"missing {FleetSettings.FirstVni} 2001:db8:1::1"], differences);
    }

    [Fact]
    public void VtepAddress_HostNumberInLast32Bits_DocumentationPrefix()
    {
        Assert.Equal(IPAddress.Parse("2001:db8:1::1"), FleetSettings.VtepAddress(0));
        Assert.Equal(IPAddress.Parse("2001:db8:1::1:0"), FleetSettings.VtepAddress(65535));
        Assert.Empty(Settings(5000, 1, 1).Validate());
        Assert.NotEmpty(Settings(0, 1, 1).Validate());
    }

    [Fact]
    public void Gap_MemberSetWithMissingAndForeign_CountsEach()
    {
        var target = Target(Settings(5, 1, 1));
        var set = new FleetMemberSet(Enumerable.Range(0, 3).Select(FleetSettings.VtepAddress));
        set.Add(IPAddress.Parse("2001:db8:ff::1"));
        set.Add(FleetSettings.VtepAddress(7)); // a fleet address outside the target
        Assert.Equal((2, 2), target.Gap(FleetSettings.FirstVni, set));
        set.Remove(IPAddress.Parse("2001:db8:ff::1"));
        set.Remove(FleetSettings.VtepAddress(7));
        set.Add(FleetSettings.VtepAddress(3));
        set.Add(FleetSettings.VtepAddress(4));
        set.Add(FleetSettings.VtepAddress(4)); // twice: once
        Assert.Equal(5, set.Count);
        Assert.True(target.Holds(FleetSettings.FirstVni, set));
        Assert.Equal(-1, FleetMemberSet.IndexOf(IPAddress.Parse("192.0.2.1")));
        Assert.Equal(65535, FleetMemberSet.IndexOf(FleetSettings.VtepAddress(65535)));
    }
}
