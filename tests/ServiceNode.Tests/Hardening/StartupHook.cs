using Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// The .NET startup hook entry point (a type of this exact name, outside any namespace), used only
/// when a test starts vxsnd with <see cref="LeakInjection.Environment"/>.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (LeakInjection.Requested) LeakInjection.Start();
    }
}
