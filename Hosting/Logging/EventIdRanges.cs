using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Logging;

/// <summary>
/// The one scheme of log event ids, for both daemons and the libraries they share: each assembly
/// has a range of its own (<see cref="Assemblies"/>) and one constants class
/// (<c>HostingEventIds</c>, <c>ServiceNodeEventIds</c>, <c>RegistrationDaemonEventIds</c>), each
/// feature a block inside it (<see cref="Features"/>). Every <c>[LoggerMessage]</c> takes its id
/// from its assembly's constants class; <see cref="Check"/> (run by each project's tests) proves
/// that no two log methods of an assembly share an id and that each id lies in its feature's block.
/// docs/observability.md ("Log event ids") lists the same blocks. A feature that starts logging
/// takes the next free block of its assembly's range and is added here and there.
/// </summary>
public static class EventIdRanges
{
    /// <summary>The range of each assembly, by its root namespace.</summary>
    public static IReadOnlyList<EventIdRange> Assemblies { get; } =
    [
        new(1000, 1999, "Replicator.Hosting", "shared hosting (both daemons)"),
        new(2000, 2999, "Replicator.ServiceNode", "vxsnd"),
        new(3000, 3999, "Replicator.Linux", "kernel interop and clients (reserved: it does not log yet)"),
        new(5000, 5999, "Replicator.RegistrationDaemon", "vxrd"),
    ];

    /// <summary>The block of each feature that logs, by its namespace.</summary>
    public static IReadOnlyList<EventIdRange> Features { get; } =
    [
        new(1000, 1099, "Replicator.Hosting.Configuration", "configuration, reloads, start-up and crashes of the daemon host"),
        new(1100, 1199, "Replicator.Hosting.Management", "management socket"),
        new(1200, 1299, "Replicator.Hosting.Authentication", "control-message authentication (key file, keys)"),
        new(1300, 1399, "Replicator.Hosting.Metrics", "metrics and health listener, OTLP export"),
        new(1400, 1499, "Replicator.Hosting.Systemd", "systemd notification and watchdog"),
        new(2000, 2049, "Replicator.ServiceNode.Registry", "registry, static entries"),
        new(2050, 2099, "Replicator.ServiceNode.Addresses", "own addresses"),
        new(2100, 2199, "Replicator.ServiceNode.Control", "control plane"),
        new(2200, 2299, "Replicator.ServiceNode.Replication", "data plane"),
        new(2300, 2399, "Replicator.ServiceNode.Cluster", "cluster: start-up sync, relay, anycast"),
        new(2400, 2449, "Replicator.ServiceNode.Bgp", "BGP speaker: sessions"),
        new(2500, 2549, "Replicator.ServiceNode.Bgp.Evpn", "EVPN bridge: route export and import"),
        new(5200, 5299, "Replicator.RegistrationDaemon.Registration", "registration, control channel"),
        new(5300, 5399, "Replicator.RegistrationDaemon.Reconcile", "reconciliation of the default destinations"),
        new(5400, 5599, "Replicator.RegistrationDaemon.Daemon", "daemon core (5400-5499) and loop (5500-5599)"),
    ];

    /// <summary>
    /// Every problem of <paramref name="assembly"/>'s <c>[LoggerMessage]</c> methods, one line each:
    /// a method without an event id, an id outside the block of the method's namespace (or a
    /// namespace without a block), two methods with the same id. Empty when all is well.
    /// </summary>
    [RequiresUnreferencedCode(TestsOnly)]
    public static IReadOnlyList<string> Check(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var problems = new List<string>();
        var seen = new Dictionary<int, string>();
        foreach (var (method, id) in LogMethods(assembly))
        {
            string name = $"{method.DeclaringType!.FullName}.{method.Name}";
            if (id < 0)
            {
                problems.Add($"{name}: no EventId");
                continue;
            }
            var block = Features.Where(b => b.Owns(method.DeclaringType.Namespace)).MaxBy(b => b.Owner.Length);
            if (block is null) problems.Add($"{name}: event id {id}, but namespace {method.DeclaringType.Namespace} has no block in EventIdRanges.Features");
            else if (!block.Contains(id)) problems.Add($"{name}: event id {id} is outside its block {block}");
            if (!seen.TryAdd(id, name)) problems.Add($"{name}: event id {id} is already {seen[id]}'s");
        }
        return problems;
    }

    // The tests call these over the JIT build; the daemons never do, so trimming may drop what they read.
    private const string TestsOnly = "Reflects over every type and method of an assembly; for the tests, not the daemons.";

    /// <summary>The <c>[LoggerMessage]</c> methods of <paramref name="assembly"/> and their event ids (-1: none given).</summary>
    [RequiresUnreferencedCode(TestsOnly)]
    public static IEnumerable<(MethodInfo Method, int EventId)> LogMethods(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(all))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } message) yield return (method, message.EventId);
            }
        }
    }
}
