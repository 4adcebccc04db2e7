using System.Net.Sockets;

namespace Replicator.TestSupport;

/// <summary>
/// An HttpClient whose connections are made from inside a network namespace: each TCP socket is
/// opened on a <see cref="NamespaceThread"/> (a socket belongs to the namespace it was created in)
/// and connected from anywhere. For scraping a daemon's metrics listener on the namespace's loopback.
/// </summary>
public static class NamespaceHttpClient
{
    public static HttpClient Create(string namespaceName, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = NamespaceThread.Run(namespaceName, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }
}
