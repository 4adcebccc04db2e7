/*
 * AF_PACKET reference for vxsnd's packet transmit path, compiled with gcc by the benchmark at run time.
 *
 *   reference_packet BIND_IP PORT FANOUT IFINDEX SOURCE_MAC NEIGHBOUR_MAC_BASE [ring]
 *
 * Receives VXLAN datagrams on BIND_IP:PORT with recvmmsg (batches of 64) and sends one copy of each
 * to every destination (IPv4: 203.0.113.1..FANOUT, IPv6: 2001:db8:100::1..FANOUT, the family of
 * BIND_IP) except its sender, each as a complete Ethernet frame on a packet socket bound to
 * IFINDEX with PACKET_QDISC_BYPASS: an iovec pair of a prebuilt Ethernet + IP + UDP header for that
 * destination and the received payload, shared by all its copies, flushed with sendmmsg up to 1024
 * copies per call. The original source address and port are kept. Destination i's Ethernet
 * address is NEIGHBOUR_MAC_BASE with i added to its last byte (the benchmark installs permanent
 * neighbour entries by the same rule); the source is SOURCE_MAC, the egress device's own.
 *
 * What it leaves out, as the kernel's raw path does not: routing and neighbour lookups (the
 * command line gives their answers), fragmentation (FANOUT copies must fit the device's MTU).
 * The IPv4 header checksum is computed here (the raw path's kernel does it), the UDP checksum is 0
 * over IPv4 and computed over IPv6 (incrementally per destination, as vxsnd does).
 *
 * With "ring" (the benchmark's c-packet-ring row) the copies go through a PACKET_TX_RING instead
 * (TPACKET_V2, RING_FRAMES frames of RING_FRAME bytes): header and payload are written into the
 * next frame, its status set to TP_STATUS_SEND_REQUEST (release), and one
 * sendto(tx, NULL, 0, MSG_DONTWAIT) hands over every TX_BATCH frames and the rest of each receive
 * batch. A frame still in flight is flushed once and, if still busy, its copy dropped.
 *
 * Only documentation addresses, inside the namespace the benchmark creates.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define RX_BATCH 64
#define TX_BATCH 1024
#define SLOT 9216
#define ETH 14
#define MAX_HDR (ETH + 40 + 8)
#define MAX_FANOUT 250
#define RING_FRAME 2048  /* a 1500-byte MTU frame + tpacket2_hdr, rounded up */
#define RING_FRAMES 1024
#define RING_BLOCK 65536
#define RING_DATA (TPACKET2_HDRLEN - sizeof(struct sockaddr_ll))

struct destination {
    uint8_t frame[MAX_HDR]; /* Ethernet + IP (destination filled in) + UDP destination port */
    uint32_t sum;           /* the destination address's part of the checksum it takes part in */
};

static struct destination dst[MAX_FANOUT];
static uint8_t dst_addr[MAX_FANOUT][16];

/* One's-complement sum of 16-bit words, in memory order (RFC 1071 2(B)); len is even here. */
static uint32_t sum16(const void *p, int len, uint32_t sum)
{
    const uint16_t *w = p;
    for (int i = 0; i < len / 2; i++) sum += w[i];
    if (len & 1) sum += ((const uint8_t *)p)[len - 1]; /* little-endian: the pad byte is the high one */
    return sum;
}

static uint16_t fold(uint64_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static void build_destinations(int v6, int fanout, const uint8_t src_mac[6], const uint8_t neigh_base[6])
{
    for (int i = 0; i < fanout; i++) {
        uint8_t *f = dst[i].frame;
        memcpy(f, neigh_base, 6);
        f[5] = (uint8_t)(neigh_base[5] + i + 1);
        memcpy(f + 6, src_mac, 6);
        char s[48];
        if (v6) {
            snprintf(s, sizeof s, "2001:db8:100::%x", i + 1);
            inet_pton(AF_INET6, s, dst_addr[i]);
            f[12] = 0x86; f[13] = 0xdd;
            uint8_t *ip = f + ETH;
            ip[0] = 0x60;
            ip[6] = IPPROTO_UDP;
            ip[7] = 64;
            memcpy(ip + 24, dst_addr[i], 16);
            uint16_t dport = htons(4789);
            memcpy(ip + 42, &dport, 2);
            dst[i].sum = sum16(dst_addr[i], 16, 0);
        } else {
            snprintf(s, sizeof s, "203.0.113.%d", i + 1);
            inet_pton(AF_INET, s, dst_addr[i]);
            f[12] = 0x08; f[13] = 0x00;
            uint8_t *ip = f + ETH;
            ip[0] = 0x45;
            ip[6] = 0x40; /* don't fragment, like the raw path's copies of a datagram that fits */
            ip[8] = 64;
            ip[9] = IPPROTO_UDP;
            memcpy(ip + 16, dst_addr[i], 4);
            uint16_t dport = htons(4789);
            memcpy(ip + 22, &dport, 2);
            /* Everything in the IPv4 header but source and length, which change per datagram. */
            dst[i].sum = sum16(ip, 20, 0);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 7 && !(argc == 8 && strcmp(argv[7], "ring") == 0)) {
        fprintf(stderr, "usage: reference_packet BIND_IP PORT FANOUT IFINDEX SOURCE_MAC NEIGHBOUR_MAC_BASE [ring]\n");
        return 2;
    }
    const char *bind_ip = argv[1];
    int port = atoi(argv[2]), fanout = atoi(argv[3]), ifindex = atoi(argv[4]);
    uint8_t src_mac[6], neigh_base[6];
    if (fanout < 1 || fanout > MAX_FANOUT || ifindex <= 0 || parse_mac(argv[5], src_mac) || parse_mac(argv[6], neigh_base)) {
        fprintf(stderr, "reference_packet: bad arguments\n");
        return 2;
    }
    int v6 = strchr(bind_ip, ':') != NULL;
    int hdr = ETH + (v6 ? 40 : 20) + 8;

    int one = 1, rcvbuf = 4 << 20, sndbuf = 4 << 20;
    int rx = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    setsockopt(rx, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_storage bound = { 0 };
    socklen_t bound_len;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&bound;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        inet_pton(AF_INET6, bind_ip, &a->sin6_addr);
        bound_len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&bound;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        inet_pton(AF_INET, bind_ip, &a->sin_addr);
        bound_len = sizeof *a;
    }
    if (bind(rx, (struct sockaddr *)&bound, bound_len) != 0) { perror("bind"); return 1; }

    /* Protocol 0: a send-only socket, it hooks no receive path. */
    int tx = socket(AF_PACKET, SOCK_RAW, 0);
    if (tx < 0) { perror("packet socket"); return 1; }
    struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex };
    if (bind(tx, (struct sockaddr *)&ll, sizeof ll) != 0) { perror("bind packet socket"); return 1; }
    if (setsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) != 0) { perror("PACKET_QDISC_BYPASS"); return 1; }
    setsockopt(tx, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);

    build_destinations(v6, fanout, src_mac, neigh_base);

    /* ring mode: a PACKET_TX_RING (TPACKET_V2) instead of sendmmsg; each copy is written into a frame. */
    int ring = argc == 8;
    uint8_t *ring_base = NULL;
    unsigned ring_next = 0;
    if (ring) {
        int version = TPACKET_V2;
        if (setsockopt(tx, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0) { perror("PACKET_VERSION"); return 1; }
        struct tpacket_req req = { .tp_block_size = RING_BLOCK, .tp_block_nr = RING_FRAMES * RING_FRAME / RING_BLOCK,
                                   .tp_frame_size = RING_FRAME, .tp_frame_nr = RING_FRAMES };
        if (setsockopt(tx, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) != 0) { perror("PACKET_TX_RING"); return 1; }
        ring_base = mmap(NULL, (size_t)RING_FRAMES * RING_FRAME, PROT_READ | PROT_WRITE, MAP_SHARED, tx, 0);
        if (ring_base == MAP_FAILED) { perror("mmap"); return 1; }
    }

    static uint8_t bufs[RX_BATCH][SLOT];
    static struct sockaddr_in6 names[RX_BATCH]; /* large enough for either family */
    static struct iovec rxiov[RX_BATCH];
    static struct mmsghdr rxmsg[RX_BATCH];
    static uint8_t hdrs[TX_BATCH][MAX_HDR];
    static struct iovec txiov[TX_BATCH][2];
    static struct mmsghdr txmsg[TX_BATCH];
    for (int i = 0; i < RX_BATCH; i++) {
        rxiov[i].iov_base = bufs[i];
        rxiov[i].iov_len = SLOT;
    }
    for (int i = 0; i < TX_BATCH; i++) {
        txiov[i][0].iov_base = hdrs[i];
        txiov[i][0].iov_len = hdr;
        txmsg[i].msg_hdr.msg_iov = txiov[i];
        txmsg[i].msg_hdr.msg_iovlen = 2; /* no msg_name: the socket is bound to the device */
    }
    for (;;) {
        for (int i = 0; i < RX_BATCH; i++) {
            rxmsg[i].msg_hdr.msg_name = &names[i];
            rxmsg[i].msg_hdr.msg_namelen = sizeof names[i];
            rxmsg[i].msg_hdr.msg_iov = &rxiov[i];
            rxmsg[i].msg_hdr.msg_iovlen = 1;
        }
        int n = recvmmsg(rx, rxmsg, RX_BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) continue;
        int q = 0;
        for (int m = 0; m < n; m++) {
            uint8_t *d = bufs[m];
            int len = rxmsg[m].msg_len;
            if (len < 8 || !(d[0] & 0x08)) continue;
            const uint8_t *src;
            uint16_t sport;
            if (v6) {
                src = names[m].sin6_addr.s6_addr;
                sport = names[m].sin6_port;
            } else {
                struct sockaddr_in *a = (struct sockaddr_in *)&names[m];
                src = (const uint8_t *)&a->sin_addr;
                sport = a->sin_port;
            }
            int alen = v6 ? 16 : 4;
            uint16_t ulen = htons(8 + len);
            uint16_t tot = htons(20 + 8 + len);
            /* Per datagram: the part of each checksum that all its copies share. */
            uint64_t base;
            if (v6) {
                uint32_t plen = htonl(8 + len);
                uint16_t next = htons(IPPROTO_UDP), dport = htons(4789);
                base = sum16(src, 16, 0) + (plen & 0xffff) + (plen >> 16) + next + sport + dport + ulen + sum16(d, len, 0);
            } else {
                base = sum16(src, 4, 0) + tot;
            }
            for (int i = 0; i < fanout; i++) {
                if (memcmp(dst_addr[i], src, alen) == 0) continue;
                struct tpacket2_hdr *slot = NULL;
                uint8_t *h;
                if (ring) {
                    slot = (struct tpacket2_hdr *)(ring_base + (size_t)ring_next * RING_FRAME);
                    if (__atomic_load_n(&slot->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
                        sendto(tx, NULL, 0, MSG_DONTWAIT, NULL, 0);
                        q = 0;
                        if (__atomic_load_n(&slot->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) continue; /* full: drop */
                    }
                    h = (uint8_t *)slot + RING_DATA;
                } else {
                    if (q == TX_BATCH) {
                        for (int done = 0; done < q;) { int s = sendmmsg(tx, txmsg + done, q - done, 0); done += s > 0 ? s : 1; }
                        q = 0;
                    }
                    h = hdrs[q];
                }
                memcpy(h, dst[i].frame, hdr);
                uint8_t *ip = h + ETH;
                if (v6) {
                    memcpy(ip + 4, &ulen, 2); /* payload length = UDP length */
                    memcpy(ip + 8, src, 16);
                    memcpy(ip + 40, &sport, 2);
                    memcpy(ip + 44, &ulen, 2);
                    uint16_t c = (uint16_t)~fold(base + dst[i].sum);
                    if (c == 0) c = 0xffff;
                    memcpy(ip + 46, &c, 2);
                } else {
                    memcpy(ip + 2, &tot, 2);
                    memcpy(ip + 12, src, 4);
                    memcpy(ip + 20, &sport, 2);
                    memcpy(ip + 24, &ulen, 2);
                    uint16_t c = (uint16_t)~fold(base + dst[i].sum);
                    memcpy(ip + 10, &c, 2);
                }
                if (ring) {
                    memcpy(h + hdr, d, len);
                    slot->tp_len = hdr + len;
                    __atomic_store_n(&slot->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
                    ring_next = (ring_next + 1) % RING_FRAMES;
                    if (++q == TX_BATCH) { sendto(tx, NULL, 0, MSG_DONTWAIT, NULL, 0); q = 0; }
                    continue;
                }
                txiov[q][1].iov_base = d;
                txiov[q][1].iov_len = len;
                q++;
            }
        }
        if (ring) {
            if (q > 0) sendto(tx, NULL, 0, MSG_DONTWAIT, NULL, 0);
            continue;
        }
        for (int done = 0; done < q;) { int s = sendmmsg(tx, txmsg + done, q - done, 0); done += s > 0 ? s : 1; }
    }
}
