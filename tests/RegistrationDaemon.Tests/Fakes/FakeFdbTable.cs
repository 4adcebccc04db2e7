using System.Net;
using Replicator.Linux.Native;
using Replicator.RegistrationDaemon.Reconcile;

namespace Replicator.RegistrationDaemon.Tests.Fakes;

/// <summary>An in-memory FDB: default destinations per ifindex, every operation logged, failures injectable.</summary>
public sealed class FakeFdbTable : IFdbTable
{
    private readonly Dictionary<int, List<IPAddress>> _entries = [];

    public List<string> Operations { get; } = [];

    /// <summary>When set, Append/Delete of this address fail with this errno.</summary>
    public (IPAddress Address, Errno Error)? FailOn { get; set; }

    public Errno DumpError { get; set; } = Errno.SUCCESS;

    /// <summary>Entries the dump leaves out although they are there (a dump that misses entries).</summary>
    public HashSet<IPAddress> HiddenFromDump { get; } = [];

    public int Dumps { get; private set; }

    public IReadOnlyList<IPAddress> Entries(int ifIndex) => _entries.TryGetValue(ifIndex, out var l) ? [.. l] : [];

    public string[] EntryStrings(int ifIndex) => [.. Entries(ifIndex).Select(a => a.ToString()).Order()];

    /// <summary>Adds an entry behind vxrd's back (as an operator or a previous run would).</summary>
    public void Seed(int ifIndex, params string[] addresses)
    {
        if (!_entries.TryGetValue(ifIndex, out var l)) _entries[ifIndex] = l = [];
        l.AddRange(addresses.Select(IPAddress.Parse));
    }

    /// <summary>Removes an entry behind vxrd's back.</summary>
    public void RemoveByHand(int ifIndex, string address) => _entries[ifIndex].Remove(IPAddress.Parse(address));

    public Errno Dump(int ifIndex, out IReadOnlyList<IPAddress> destinations)
    {
        Dumps++;
        destinations = [.. Entries(ifIndex).Where(a => !HiddenFromDump.Contains(a))];
        return DumpError;
    }

    public Errno Append(int ifIndex, IPAddress destination)
    {
        Operations.Add($"add {ifIndex} {destination}");
        if (FailOn is { } f && f.Address.Equals(destination)) return f.Error;
        if (!_entries.TryGetValue(ifIndex, out var l)) _entries[ifIndex] = l = [];
        if (l.Contains(destination)) return Errno.EEXIST;
        l.Add(destination);
        return Errno.SUCCESS;
    }

    public Errno Delete(int ifIndex, IPAddress destination)
    {
        Operations.Add($"del {ifIndex} {destination}");
        if (FailOn is { } f && f.Address.Equals(destination)) return f.Error;
        return _entries.TryGetValue(ifIndex, out var l) && l.Remove(destination) ? Errno.SUCCESS : Errno.ENOENT;
    }
}
