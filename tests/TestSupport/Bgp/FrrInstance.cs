using System.Text.Json.Nodes;

namespace Replicator.TestSupport.Bgp;

/// <summary>
/// FRR (bgpd, with zebra when it must touch the kernel) running in a test namespace from a
/// generated configuration, queried with <c>vtysh -N</c>. Its state lives in a directory of its
/// own owned by user <c>frr</c> (the daemons drop to it); <c>-N</c> only moves the vty sockets to
/// <c>/var/run/frr/NAME/</c>, <c>ip netns exec</c> is what puts the daemons in the namespace.
/// Disposing stops bgpd then zebra (SIGTERM, SIGKILL after 5 s, waiting for the exit) and removes
/// both directories, also when starting failed half-way.
/// </summary>
public sealed class FrrInstance : IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly List<RoutingDaemon> _daemons = [];
    private readonly string _stateDirectory;
    private readonly string _vtyDirectory;

    private FrrInstance(NetworkNamespace ns)
    {
        Namespace = ns;
        Name = ns.Name;
        _stateDirectory = Path.Combine(Path.GetTempPath(), $"frr-{ns.Name}");
        _vtyDirectory = $"/var/run/frr/{Name}";
    }

    public NetworkNamespace Namespace { get; }

    /// <summary>The instance's name for <c>-N</c>: the namespace's (unique) name.</summary>
    public string Name { get; }

    /// <summary>
    /// Starts bgpd with <paramref name="bgpdConfig"/> (see <see cref="FrrConfig"/>) in
    /// <paramref name="ns"/>, after zebra when <paramref name="withZebra"/> (a VTEP; a route
    /// reflector runs bgpd alone with <c>-Z</c>), and waits until bgpd answers vtysh.
    /// </summary>
    public static async Task<FrrInstance> StartAsync(NetworkNamespace ns, string bgpdConfig, bool withZebra)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var frr = new FrrInstance(ns);
        try
        {
            await frr.StartDaemonsAsync(bgpdConfig, withZebra).ConfigureAwait(false);
            return frr;
        }
        catch
        {
            frr.Dispose();
            throw;
        }
    }

    /// <summary>Runs one vtysh command against this instance and returns its output.</summary>
    public string Vtysh(string command) =>
        Namespace.Exec(BgpTools.Vtysh, "-N", Name, "--config_dir", _stateDirectory, "-c", command);

    /// <summary>A <c>... json</c> command's output parsed, e.g. <c>show bgp l2vpn evpn json</c>, <c>show evpn vni json</c>.</summary>
    public JsonNode VtyshJson(string command) =>
        JsonNode.Parse(Vtysh(command)) ?? throw new InvalidOperationException($"vtysh '{command}' returned null");

    /// <summary>The state of the session with <paramref name="peer"/> (<c>Established</c>, <c>Active</c>, ...), null when unknown.</summary>
    public string? PeerState(string peer) =>
        VtyshJson("show bgp l2vpn evpn summary json")["peers"]?[peer]?["state"]?.GetValue<string>();

    /// <summary>The originating routers of the type-3 (IMET) routes in bgpd's EVPN table, whatever their RD (ours included).</summary>
    public IReadOnlyList<string> Type3Originators()
    {
        var result = new List<string>();
        var table = VtyshJson("show bgp l2vpn evpn route type multicast json");
        foreach (var (rd, routes) in table.AsObject())
        {
            if (routes is not JsonObject byPrefix || !rd.Contains(':', StringComparison.Ordinal)) continue;
            foreach (var (prefix, _) in byPrefix)
            {
                // "[3]:[0]:[32]:[192.0.2.11]": the last field is the originating router.
                int open = prefix.LastIndexOf('[');
                if (prefix.StartsWith("[3]", StringComparison.Ordinal) && open >= 0)
                    result.Add(prefix[(open + 1)..].TrimEnd(']'));
            }
        }
        return result;
    }

    /// <summary>The daemons' log files and output, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new System.Text.StringBuilder();
        foreach (var log in Directory.Exists(_stateDirectory) ? Directory.GetFiles(_stateDirectory, "*.log") : [])
            text.Append("== ").AppendLine(log).AppendLine(Tail(File.ReadAllText(log)));
        foreach (var d in _daemons) text.Append("== ").Append(d.Name).AppendLine(" output").AppendLine(Tail(d.Output));
        return text.ToString();
    }

    public void Dispose()
    {
        // bgpd first: it says goodbye to its peers (Cease) while zebra still runs.
        foreach (var d in Enumerable.Reverse(_daemons)) d.Stop(StopGrace);
        foreach (var d in _daemons) d.Dispose();
        _daemons.Clear();
        TryDelete(_vtyDirectory);
        TryDelete(_stateDirectory);
    }

    private async Task StartDaemonsAsync(string bgpdConfig, bool withZebra)
    {
        Directory.CreateDirectory(_stateDirectory);
        // vtysh -N NAME --config_dir DIR reads DIR/NAME/vtysh.conf; an empty one silences its warning.
        Directory.CreateDirectory(Path.Combine(_stateDirectory, Name));
        File.WriteAllText(Path.Combine(_stateDirectory, Name, "vtysh.conf"), "");
        File.WriteAllText(Path.Combine(_stateDirectory, "bgpd.conf"), bgpdConfig);
        Directory.CreateDirectory("/var/run/frr");
        if (withZebra) File.WriteAllText(Path.Combine(_stateDirectory, "zebra.conf"), $"hostname {Name}\n");
        Shell.Check("chown", "-R", "frr:frr", _stateDirectory);

        if (withZebra)
        {
            _daemons.Add(new RoutingDaemon(Namespace, "zebra", BgpTools.Zebra, DaemonArguments("zebra")));
            // bgpd connects to zebra's zserv.api once; it must exist first.
            await Eventually.Until(() => File.Exists(Path.Combine(_vtyDirectory, "zserv.api")), $"zebra of {Name} listening",
                TimeSpan.FromSeconds(30), Diagnostics).ConfigureAwait(false);
        }
        _daemons.Add(new RoutingDaemon(Namespace, "bgpd", BgpTools.Bgpd, withZebra ? DaemonArguments("bgpd") : [.. DaemonArguments("bgpd"), "-Z"]));
        await Eventually.Until(() => Namespace.Try(BgpTools.Vtysh, "-N", Name, "--config_dir", _stateDirectory, "-c", "show bgp summary json").ExitCode == 0
                && !_daemons.Any(d => d.HasExited),
            $"bgpd of {Name} answering vtysh", TimeSpan.FromSeconds(30), Diagnostics).ConfigureAwait(false);
    }

    private string[] DaemonArguments(string daemon) =>
    [
        "-N", Name,
        "-f", Path.Combine(_stateDirectory, $"{daemon}.conf"),
        "-i", Path.Combine(_stateDirectory, $"{daemon}.pid"),
        "--log", $"file:{Path.Combine(_stateDirectory, $"{daemon}.log")}",
        "-P", "0",
    ];

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
