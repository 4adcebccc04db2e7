using System.Runtime.InteropServices;

namespace Replicator.TestSupport;

/// <summary>
/// Runs code on a dedicated thread that has joined a network namespace (setns), so in-process
/// components (netlink clients, sockets) can be tested inside it. The thread exits afterwards,
/// so no pooled thread is ever left in a foreign namespace.
/// </summary>
public static class NamespaceThread
{
    private const int CLONE_NEWNET = 0x40000000;

    public static T Run<T>(string namespaceName, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                // OpenHandle, not a FileStream: namespace files refuse the seek a FileStream makes.
                using var handle = File.OpenHandle($"/var/run/netns/{namespaceName}");
                if (setns((int)handle.DangerousGetHandle(), CLONE_NEWNET) != 0)
                    throw new InvalidOperationException($"setns({namespaceName}) failed: errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        if (error is not null) throw new AggregateException($"in namespace {namespaceName}", error);
        return result;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
