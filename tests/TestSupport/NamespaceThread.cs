using Replicator.Linux.Native;

namespace Replicator.TestSupport;

/// <summary>
/// Runs code on a dedicated thread that has joined a network namespace (setns), so in-process
/// components (netlink clients, sockets) can be tested inside it. The thread exits afterwards,
/// so no pooled thread is ever left in a foreign namespace.
/// </summary>
public static class NamespaceThread
{
    public static T Run<T>(string namespaceName, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                var errno = LibC.EnterNetworkNamespace($"/var/run/netns/{namespaceName}");
                if (errno != Errno.SUCCESS)
                    throw new NativeException($"setns({namespaceName})", errno);
                result = action();
            }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        if (error is not null) throw new AggregateException($"in namespace {namespaceName}", error);
        return result;
    }
}
