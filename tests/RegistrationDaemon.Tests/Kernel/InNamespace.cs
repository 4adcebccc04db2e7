using System.Runtime.InteropServices;
using Replicator.TestSupport;

namespace Replicator.RegistrationDaemon.Tests.Kernel;

/// <summary>
/// Runs an action on a fresh thread that joined the namespace (setns), like TestSupport's NamespaceThread,
/// but opens the nsfs file with <see cref="File.OpenHandle"/>: FileStream (File.OpenRead) seeks, and nsfs
/// files answer lseek with ESPIPE ("Illegal seek"). Sockets created inside stay in the namespace after the
/// thread exits.
/// </summary>
internal static class InNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    public static T Run<T>(NetworkNamespace ns, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{ns.Name}");
                if (setns((int)handle.DangerousGetHandle(), CLONE_NEWNET) != 0)
                {
                    throw new InvalidOperationException($"setns({ns.Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw new AggregateException($"in namespace {ns.Name}", error);
        }
        return result;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
