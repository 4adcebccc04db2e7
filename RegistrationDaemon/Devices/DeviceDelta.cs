namespace Replicator.RegistrationDaemon.Devices;

/// <summary>Managed devices that appeared and disappeared in one inventory update (a changed device is both).</summary>
internal sealed class DeviceDelta
{
    public List<ManagedDevice> Added { get; } = [];

    public List<ManagedDevice> Removed { get; } = [];

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;
}
