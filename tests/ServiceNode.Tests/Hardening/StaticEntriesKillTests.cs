using System.Diagnostics;
using System.Net;
using Replicator.Hosting.Management;
using Replicator.ServiceNode.Management;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// The static entries on disk against a real vxsnd killed with SIGKILL at random points: during
/// streams of <c>fdb add</c> long enough to start background compactions of the journal, and
/// during <c>fdb load</c>. After each restart every acknowledged add is there, nothing else but
/// the adds in flight, a load is all or nothing, and no temporary file is left.
/// </summary>
[Collection(KernelCollection.Name)]
public class StaticEntriesKillTests(ITestOutputHelper output)
{
    private const int Clients = 4;

    [KernelFact]
    public async Task Kill_DuringAddsCompactionsAndLoads_EveryAcknowledgedChangeKeptNeverTorn()
    {
        using var ns = NetworkNamespace.Create("hstkill");
        await using var daemon = await VxsndDaemon.StartAsync(ns, "--ServiceNode:Authentication:AllowUnauthenticated=true");
        var random = new Random(13);
        var acknowledged = new HashSet<(uint, string)>();
        int next = 0;
        int compactedRounds = 0;
        for (int round = 1; round <= 6; round++)
        {
            string journal = Path.Combine(daemon.Directory, "static-entries.journal");
            if (round % 3 == 0)
            {
                // A load of 20,000 entries, killed somewhere between its start and well after its end.
                var load = Enumerable.Range(next, 20_000).Select(Entry).ToHashSet();
                next += 20_000;
                string file = Path.Combine(daemon.Directory, $"load-{round}.txt");
                await File.WriteAllLinesAsync(file, load.Select(e => $"{e.Item1} {e.Item2}"));
                var loading = daemon.CliAsync("fdb", "load", file);
                await Task.Delay(round == 3 ? random.Next(0, 500) : random.Next(500, 4000)); // likely during the load, then likely after it
                bool completed = loading.IsCompleted && (await loading).ExitCode == 0;
                daemon.Kill();
                await daemon.StartAgainAsync();
                var after = await StaticAsync(daemon);
                Assert.True(after.SetEquals(acknowledged) || after.SetEquals(load), $"round {round}: the load is neither all nor nothing ({after.Count} entries)");
                Assert.True(!completed || after.SetEquals(load), $"round {round}: an acknowledged load was lost");
                output.WriteLine($"round {round}: kill during/after fdb load ({(completed ? "acknowledged" : "in flight")}): {(after.SetEquals(load) ? "new set" : "old set")}, {after.Count} entries");
                acknowledged = after;
            }
            else
            {
                // Adds from several clients, then a kill at a random moment while they stream.
                var inFlight = new HashSet<(uint, string)>();
                using var stop = new CancellationTokenSource();
                int first = next;
                int acknowledgedAtStart = acknowledged.Count;
                var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
                {
                    // What 'vxsnd fdb add' sends, on one kept-alive connection per client: fast enough to start compactions.
                    using var client = new ManagementClient(daemon.Socket, "vxsnd");
                    while (!stop.IsCancellationRequested)
                    {
                        var entry = Entry(Interlocked.Increment(ref next) - 1);
                        lock (inFlight) inFlight.Add(entry);
                        int code = 0;
                        try
                        {
                            await client.SendAsync(HttpMethod.Post, "/fdb/static", new StaticEntryRequest(entry.Item1, entry.Item2));
                        }
                        catch (Exception ex) when (ex is ManagementClientException or HttpRequestException or IOException or TaskCanceledException)
                        {
                            code = 1;
                        }
                        if (code == 0 && !stop.IsCancellationRequested)
                        {
                            lock (inFlight)
                            {
                                inFlight.Remove(entry);
                                acknowledged.Add(entry);
                            }
                        }
                        else if (code != 0)
                        {
                            return;
                        }
                    }
                })).ToArray();
                // Killed after a random number of acknowledged adds, not after a random time: on a
                // busy machine adds are several times slower. Rounds 1 and 2 go past the journal's
                // compaction threshold (1,024 lines), the others stop anywhere.
                int target = round <= 2 ? random.Next(1100, 1500) : random.Next(20, 800);
                var patience = Stopwatch.StartNew();
                while (acknowledged.Count - acknowledgedAtStart < target && clients.All(c => !c.IsCompleted))
                {
                    Assert.True(patience.Elapsed < TimeSpan.FromMinutes(3), $"round {round}: only {acknowledged.Count - acknowledgedAtStart} adds in 3 minutes");
                    await Task.Delay(random.Next(1, 20));
                }
                int journalLines = File.Exists(journal) ? File.ReadAllText(journal).Count(c => c == '\n') : 0;
                bool compacting = File.Exists(journal + ".compacting");
                int acknowledgedInRound = acknowledged.Count - acknowledgedAtStart;
                // Fewer journal lines than acknowledged adds: a background compaction truncated it during this round.
                if (journalLines < acknowledgedInRound - Clients) compactedRounds++;
                int acknowledgedBefore;
                lock (inFlight)
                {
                    daemon.Kill();
                    stop.Cancel();
                    acknowledgedBefore = acknowledged.Count;
                }
                await Task.WhenAll(clients);
                await daemon.StartAgainAsync();
                var after = await StaticAsync(daemon);
                var missing = acknowledged.Except(after).ToList();
                var extra = after.Except(acknowledged).Except(inFlight).ToList();
                output.WriteLine($"round {round}: {next - first} adds sent, {acknowledged.Count} acknowledged in all; at the kill the journal held {journalLines} lines of this round's {acknowledgedInRound} acknowledged adds"
                    + $"{(compacting ? " and a compaction was running" : "")}; after restart {after.Count} entries, {after.Count - acknowledged.Count} of the in-flight adds");
                Assert.True(missing.Count == 0, $"round {round}: {missing.Count} acknowledged adds lost, e.g. {string.Join(", ", missing.Take(3))}");
                Assert.True(extra.Count == 0, $"round {round}: {extra.Count} entries nobody added");
                acknowledged = after;
            }
            var temporary = Directory.GetFiles(daemon.Directory, ".static-entries.*.tmp");
            Assert.True(temporary.Length == 0, $"round {round}: temporary files left: {string.Join(", ", temporary)}");
        }
        Assert.True(compactedRounds > 0, "no round ran long enough to compact the journal");
    }

    [KernelFact]
    public async Task Start_StaticEntriesDirectoryReadOnly_OneLineNamingKeyAndErrno()
    {
        using var ns = NetworkNamespace.Create("hstro");
        string directory = Directory.CreateTempSubdirectory("vxsnd-ro").FullName;
        string readOnly = Path.Combine(directory, "ro");
        Directory.CreateDirectory(readOnly);
        Shell.Check("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly);
        try
        {
            var process = ns.Start(DaemonExecutable.ForName("vxsnd"),
                [$"--ServiceNode:ManagementSocket={Path.Combine(directory, "s.sock")}", "--ServiceNode:Authentication:AllowUnauthenticated=true",
                 $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(readOnly, "static-entries")}", "--ServiceNode:ControlAddress=127.0.0.1"]);
            string stderr = await process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(20_000));
            output.WriteLine($"exit {process.ExitCode}: {stderr}");
            Assert.Equal(1, process.ExitCode);
            var line = Assert.Single(stderr.Split('\n'), l => l.Contains("ServiceNode:Registry:StaticEntriesFile", StringComparison.Ordinal));
            Assert.Contains("Read-only file system", line);
            Assert.DoesNotContain("   at ", stderr);
        }
        finally
        {
            Shell.Run("umount", readOnly);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (uint, string) Entry(int i) => ((uint)(1000 + i / 5000), IPAddress.Parse($"2001:db8:{i / 65536:x}::{i % 65536:x}").ToString());

    private static async Task<HashSet<(uint, string)>> StaticAsync(VxsndDaemon daemon) =>
        (await daemon.FdbAsync()).Where(e => e.Source == "static").Select(e => (e.Vni, e.Address)).ToHashSet();
}
