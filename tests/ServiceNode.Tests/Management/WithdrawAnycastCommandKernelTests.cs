using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Management;

/// <summary>
/// <c>vxsnd withdraw-anycast</c> (the unit's ExecStopPost), the built vxsnd run inside a namespace:
/// removes the anycast from lo only when InstallAnycast says it is vxsnd's, idempotently.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class WithdrawAnycastCommandKernelTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vxsnd-withdraw-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Config(string anycast, bool install)
    {
        string path = Path.Combine(_directory.FullName, "vxsnd.json");
        string socket = Path.Combine(_directory.FullName, "vxsnd.sock");
        File.WriteAllText(path, $$"""{ "ServiceNode": { "Cluster": { "AnycastAddress": "{{anycast}}", "InstallAnycast": {{(install ? "true" : "false")}} }, "ManagementSocket": "{{socket}}" } }""");
        return path;
    }

    private static Shell.Result Withdraw(NetworkNamespace ns, string config)
    {
        var (file, args) = DaemonExecutable.ForDll(RepositoryRoot.ReleaseDll("ServiceNode", "vxsnd.dll"), ["withdraw-anycast", "--config", config]);
        return ns.Try(file, args);
    }

    private static bool OnLo(NetworkNamespace ns, string address, int prefix) =>
        ns.Exec("ip", "addr", "show", "dev", "lo").Contains($"{address}/{prefix}", StringComparison.Ordinal);

    [KernelTheory]
    [InlineData("203.0.113.55", 32)]
    [InlineData("2001:db8:ffff::55", 128)]
    public void WithdrawAnycast_InstallAnycastOn_RemovesItThenSaysItIsGone(string anycast, int prefix)
    {
        using var ns = NetworkNamespace.Create("vxwd");
        ns.Exec("ip", prefix == 128 ? ["addr", "add", $"{anycast}/{prefix}", "dev", "lo", "nodad"] : ["addr", "add", $"{anycast}/{prefix}", "dev", "lo"]);
        string config = Config(anycast, install: true);

        var first = Withdraw(ns, config);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains($"removed {anycast}/{prefix} from lo", first.Stdout, StringComparison.Ordinal);
        Assert.False(OnLo(ns, anycast, prefix));

        var again = Withdraw(ns, config);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"{anycast}/{prefix} was not on lo", again.Stdout, StringComparison.Ordinal);
    }

    [KernelFact]
    public void WithdrawAnycast_InstallAnycastOff_LeavesTheAddressAlone()
    {
        using var ns = NetworkNamespace.Create("vxwd");
        ns.Exec("ip", "addr", "add", "203.0.113.56/32", "dev", "lo");

        var result = Withdraw(ns, Config("203.0.113.56", install: false));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("nothing to do", result.Stdout, StringComparison.Ordinal);
        Assert.True(OnLo(ns, "203.0.113.56", 32));
    }

    [KernelFact]
    public async Task WithdrawAnycast_VxsndRunning_RefusesAndLeavesTheAddress()
    {
        using var ns = NetworkNamespace.Create("vxwd");
        using var vxsnd = Cluster.VxsndProcess.Start(ns, _directory.FullName, "vxsnd", "--ServiceNode:ControlAddress=127.0.0.1",
            "--ServiceNode:DataPlane:Address=127.0.0.1", "--ServiceNode:Cluster:AnycastAddress=203.0.113.57", "--ServiceNode:Cluster:InstallAnycast=true");
        await vxsnd.WaitStartedAsync(TimeSpan.FromSeconds(20));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!OnLo(ns, "203.0.113.57", 32) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(OnLo(ns, "203.0.113.57", 32), vxsnd.Output);

        var result = Withdraw(ns, Config("203.0.113.57", install: true));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("vxsnd is running", result.Stderr, StringComparison.Ordinal);
        Assert.True(OnLo(ns, "203.0.113.57", 32));
    }

    [KernelFact]
    public void WithdrawAnycast_BadAddress_OneLineErrorExitOne()
    {
        using var ns = NetworkNamespace.Create("vxwd");

        var result = Withdraw(ns, Config("anycast.example", install: true));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("vxsnd: ServiceNode:Cluster:AnycastAddress = 'anycast.example': not a unicast IPv4 or IPv6 address", result.Stderr.Trim());
    }
}
