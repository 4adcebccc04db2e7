#!/usr/bin/python3
"""Developer stand-in for vxsnd's data plane, used only by `lab.sh --standin --mode snr`.

Receives VXLAN datagrams on the anycast address and sends a copy to every other member of the
VNI (a static list given on the command line), keeping the original outer source address and
port, as vxsnd does with SourceMode=Preserve. It exists to prove that the lab topology carries
source-preserving service-node replication (anycast routing, no reverse-path filtering, kernel
learning behind the originating VTEP) before vxsnd is ready. One sendto per copy, no batching:
it is not a benchmark and not a product.

usage: standin-replicator.py ANYCAST PORT VNI=ADDR,ADDR,... [VNI=...]
"""
import ipaddress
import signal
import socket
import struct
import sys

IPV6_HDRINCL = 36  # /usr/include/linux/in6.h


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def main() -> None:
    anycast, port = sys.argv[1], int(sys.argv[2])
    members: dict[int, list[str]] = {}
    for arg in sys.argv[3:]:
        vni, addrs = arg.split("=", 1)
        members[int(vni)] = [str(ipaddress.ip_address(a)) for a in addrs.split(",")]
    v6 = ipaddress.ip_address(anycast).version == 6
    family = socket.AF_INET6 if v6 else socket.AF_INET
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.bind((anycast, port))
    tx = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_RAW)
    if v6:
        tx.setsockopt(socket.IPPROTO_IPV6, IPV6_HDRINCL, 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    received = copies = 0
    print(f"stand-in replicator on {anycast}:{port}, members {members}", flush=True)
    while True:
        payload, peer = rx.recvfrom(65535)
        src, sport = peer[0], peer[1]
        received += 1
        if len(payload) < 8 or not payload[0] & 0x08:
            continue
        vni = int.from_bytes(payload[4:7], "big")
        udp_len = 8 + len(payload)
        for dst in members.get(vni, []):
            if dst == src:
                continue
            s, d = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
            if v6:
                pseudo = s + d + struct.pack("!IxxxB", udp_len, 17)
                udp = struct.pack("!HHHH", sport, port, udp_len, 0) + payload
                csum = checksum(pseudo + udp) or 0xFFFF
                udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
                ip = struct.pack("!IHBB", 6 << 28, udp_len, 17, 64) + s + d
                tx.sendto(ip + udp, (dst, 0))
            else:
                # The kernel fills total length, identification and header checksum (IP_HDRINCL).
                ip = struct.pack("!BBHHHBBH", 0x45, 0, 0, 0, 0, 64, 17, 0) + s + d
                udp = struct.pack("!HHHH", sport, port, udp_len, 0)
                tx.sendto(ip + udp + payload, (dst, 0))
            copies += 1
        print(f"received {received} copies {copies}", flush=True)


if __name__ == "__main__":
    main()
