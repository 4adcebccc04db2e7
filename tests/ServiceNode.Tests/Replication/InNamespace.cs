using Replicator.Protocol.Native;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>
/// Runs code on a fresh thread inside a named network namespace. (TestSupport's NamespaceThread
/// opens the nsfs file through a FileStream, which fails with ESPIPE on this runtime.)
/// </summary>
internal static class InNamespace
{
    public static T Run<T>(string name, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                Errno e = LibC.EnterNetworkNamespace($"/var/run/netns/{name}");
                if (e != Errno.SUCCESS) throw new NativeException($"setns({name})", e);
                result = action();
            }
            catch (Exception x) { error = x; }
        });
        thread.Start();
        thread.Join();
        if (error is not null) throw new AggregateException($"in namespace {name}", error);
        return result;
    }
}
