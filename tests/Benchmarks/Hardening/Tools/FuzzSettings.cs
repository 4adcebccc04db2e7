using System.Net;

namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>What <see cref="FuzzSender"/> sends where.</summary>
/// <param name="Control">The daemon's control endpoint (null: no control datagrams).</param>
/// <param name="Data">The daemon's data-plane endpoint (null: no data datagrams).</param>
/// <param name="Sources">Local addresses to send from, round-robin (loopback addresses).</param>
/// <param name="Count">Datagrams in total, split evenly between control and data when both are set.</param>
/// <param name="Seed">Determines every datagram.</param>
/// <param name="MaxDuration">The run stops here even when <paramref name="Count"/> is not reached.</param>
/// <param name="PerSecond">Pacing; 0 sends as fast as the socket takes them.</param>
public sealed record FuzzSettings(
    IPEndPoint? Control,
    IPEndPoint? Data,
    IReadOnlyList<IPAddress> Sources,
    long Count,
    int Seed,
    TimeSpan MaxDuration,
    int PerSecond = 0);
