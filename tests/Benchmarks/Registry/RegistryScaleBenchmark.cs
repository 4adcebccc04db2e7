using System.Net;
using BenchmarkDotNet.Attributes;
using Replicator.ServiceNode.Registry;

namespace Replicator.Benchmarks.Registry;

/// <summary>
/// The registry at scale: 5,000 VTEPs x 200 VNIs = 1,000,000 entries. <see cref="RefreshAll"/>
/// re-applies every VTEP's registration (one 200-VNI registration each), i.e. one full refresh
/// round of the whole table; entries/s = 1,000,000 / mean time. The set-up prints the memory the
/// filled registry holds (managed heap after a full GC), with and without the published
/// data-plane snapshots.
/// Run: <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*RegistryScale*' --inProcess --job short</c>
/// (in-process: BenchmarkDotNet's out-of-process toolchain cannot find the project, whose assembly name differs from its file name)
/// </summary>
[MemoryDiagnoser]
public class RegistryScaleBenchmark
{
    public const int Vteps = 5_000;
    public const int VnisPerVtep = 200;

    private Registration[] _registrations = [];
    private ServiceNode.Registry.Registry _registry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _registrations = new Registration[Vteps];
        var vnis = Enumerable.Range(1, VnisPerVtep).Select(v => (uint)v * 10).ToArray();
        for (int i = 0; i < Vteps; i++)
        {
            // 2001:db8::/32 documentation addresses, one per VTEP.
            var address = VtepAddress.FromIPAddress(IPAddress.Parse($"2001:db8::{i / 256 + 1:x}:{i % 256:x}"));
            _registrations[i] = new Registration($"vtep-{i}", TimeSpan.FromSeconds(90), false, ResponseWanted.None,
                [.. vnis.Select(v => new VniRegistration(v, [address]))]);
        }

        long baseline = Heap();
        var table = new MemberTable();
        _registry = new ServiceNode.Registry.Registry(new RegistryLimits(2_000_000, 10_000, TimeSpan.FromSeconds(90)), TimeProvider.System, table);
        var fill = System.Diagnostics.Stopwatch.StartNew();
        foreach (var registration in _registrations) _registry.Apply(registration);
        fill.Stop();
        long registryOnly = Heap() - baseline;
        var publish = System.Diagnostics.Stopwatch.StartNew();
        _registry.PublishChanges();
        publish.Stop();
        long withSnapshots = Heap() - baseline;
        Console.WriteLine($"// registry: {_registry.EntryCount:N0} entries in {_registry.VniCount} VNIs; fill {fill.Elapsed.TotalMilliseconds:N0} ms " +
            $"({_registry.EntryCount / fill.Elapsed.TotalSeconds:N0} entries/s); registry {registryOnly / 1048576.0:N1} MiB " +
            $"({(double)registryOnly / _registry.EntryCount:N1} B/entry); with member snapshots {withSnapshots / 1048576.0:N1} MiB; " +
            $"publishing {_registry.VniCount} snapshots {publish.Elapsed.TotalMilliseconds:N0} ms");
    }

    /// <summary>One refresh round: every VTEP re-registers its 200 VNIs (1,000,000 entries).</summary>
    [Benchmark(OperationsPerInvoke = Vteps * VnisPerVtep)]
    public void RefreshAll()
    {
        foreach (var registration in _registrations) _registry.Apply(registration);
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
