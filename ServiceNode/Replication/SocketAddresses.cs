using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>Converts endpoints to and from sockaddr_in / sockaddr_in6 bytes (start-up and tests only; allocates).</summary>
internal static unsafe class SocketAddresses
{
    /// <summary>Writes a sockaddr for <paramref name="endPoint"/>; returns its length (16 or 28).</summary>
    public static int Write(IPEndPoint endPoint, Span<byte> destination)
    {
        destination.Clear();
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, LibC.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(destination[4..8], out _);
            return sizeof(sockaddr_in);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(destination, LibC.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)endPoint.Port);
        endPoint.Address.TryWriteBytes(destination[8..24], out _);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)endPoint.Address.ScopeId);
        return sizeof(sockaddr_in6);
    }

    public static IPEndPoint Read(ReadOnlySpan<byte> source)
    {
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(source);
        int port = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        return family == LibC.AF_INET
            ? new IPEndPoint(new IPAddress(source[4..8]), port)
            : new IPEndPoint(new IPAddress(source[8..24]), port);
    }
}
