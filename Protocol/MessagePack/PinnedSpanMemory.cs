using System.Buffers;

namespace Replicator.Protocol.MessagePack;

/// <summary>
/// Lends a pinned span to <c>MessagePack.MessagePackReader</c>, which reads memory, not spans,
/// without copying the datagram: one instance per thread, pointed at the caller's bytes only while
/// they are pinned (<see cref="Lend"/> inside a <c>fixed</c> block, <see cref="Return"/> before it ends).
/// </summary>
internal sealed unsafe class PinnedSpanMemory : MemoryManager<byte>
{
    [ThreadStatic] private static PinnedSpanMemory? t_instance;

    private byte* _pointer;
    private int _length;

    public static PinnedSpanMemory Lend(byte* pointer, int length)
    {
        PinnedSpanMemory memory = t_instance ??= new PinnedSpanMemory();
        memory._pointer = pointer;
        memory._length = length;
        return memory;
    }

    public void Return()
    {
        _pointer = null;
        _length = 0;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing) { }
}
