#!/usr/bin/python3
"""vxfld-style baseline for the vxsnd benchmark: one recvfrom, then one sendto per copy on a raw
IP_HDRINCL socket, source address and port preserved, as vxfld's service node did.

    naive_baseline.py BIND_IP PORT FANOUT      (destinations 203.0.113.1..FANOUT, VNI 100)
"""
import socket
import struct
import sys

bind_ip, port, fanout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
rx.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)  # SO_RCVBUFFORCE
rx.bind((bind_ip, port))
tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
members = {100: [f"203.0.113.{i}" for i in range(1, fanout + 1)]}

while True:
    data, (src, sport) = rx.recvfrom(9216)
    if len(data) < 8 or not data[0] & 0x08:
        continue
    vni = int.from_bytes(data[4:7], "big")
    dests = members.get(vni)
    if not dests:
        continue
    srcb = socket.inet_aton(src)
    for dst in dests:
        if dst == src:
            continue
        header = struct.pack("!BBHHHBBH4s4sHHHH", 0x45, 0, 28 + len(data), 0, 0, 64, 17, 0,
                             srcb, socket.inet_aton(dst), sport, 4789, 8 + len(data), 0)
        tx.sendto(header + data, (dst, 0))
