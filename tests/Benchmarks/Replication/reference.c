/*
 * Benchmark reference for vxsnd's data plane, compiled with gcc by the benchmark at run time.
 *
 *   reference replicate BIND_IP PORT FANOUT
 *       A hand-tuned C replicator: recvmmsg batches of 64, then for each datagram one copy per
 *       destination 203.0.113.1..FANOUT (IPv6 BIND_IP: 2001:db8:100::1..FANOUT) except the
 *       sender, each an iovec pair (prebuilt IP+UDP header with the sender's source address and
 *       port, shared payload) on a raw IPPROTO_RAW socket (header included), flushed with
 *       sendmmsg up to 1024 copies per call. Over IPv6 it computes the UDP checksum, once per
 *       datagram plus each destination's part, as vxsnd does.
 *
 *   reference generate SRC_IP DST_IP PORT INNER_BYTES RATE SOCKETS VNI
 *       Load generator (IPv4 or IPv6, as SRC_IP is): VXLAN datagrams (broadcast inner frame of INNER_BYTES) at RATE datagrams
 *       per second, round-robin over SOCKETS UDP sockets (distinct source ports, so SO_REUSEPORT
 *       spreads them over workers). Runs until killed.
 *
 * Only documentation addresses, inside the namespace the benchmark creates.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define RX_BATCH 64
#define TX_BATCH 1024
#define SLOT 9216
#define HDR 28
#define HDR6 48

/* One's-complement sum of 16-bit words in memory order (RFC 1071 2(B)); an odd last byte is padded. */
static uint64_t sum16(const void *p, int len, uint64_t sum)
{
    const uint16_t *w = p;
    for (int i = 0; i < len / 2; i++) sum += w[i];
    if (len & 1) sum += ((const uint8_t *)p)[len - 1];
    return sum;
}

static uint16_t fold(uint64_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static int replicate(const char *bind_ip, int port, int fanout)
{
    int v6 = strchr(bind_ip, ':') != NULL;
    int hdr = v6 ? HDR6 : HDR;
    int rx = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int one = 1, rcvbuf = 4 << 20, sndbuf = 4 << 20;
    setsockopt(rx, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in6 addr = { 0 };
    socklen_t addr_len;
    if (v6) {
        addr.sin6_family = AF_INET6;
        addr.sin6_port = htons(port);
        inet_pton(AF_INET6, bind_ip, &addr.sin6_addr);
        addr_len = sizeof addr;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&addr;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        inet_pton(AF_INET, bind_ip, &a->sin_addr);
        addr_len = sizeof *a;
    }
    if (bind(rx, (struct sockaddr *)&addr, addr_len) != 0) { perror("bind"); return 1; }
    /* IPPROTO_RAW implies IP_HDRINCL (IPv4) and IPV6_HDRINCL (IPv6). */
    int tx = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (tx < 0) { perror("raw socket"); return 1; }
    if (!v6) setsockopt(tx, IPPROTO_IP, IP_HDRINCL, &one, sizeof one);
    setsockopt(tx, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);

    static uint8_t dst[256][16];
    static uint64_t dst_sum[256];
    for (int i = 0; i < fanout; i++) {
        char s[48];
        if (v6) snprintf(s, sizeof s, "2001:db8:100::%x", i + 1);
        else snprintf(s, sizeof s, "203.0.113.%d", i + 1);
        inet_pton(v6 ? AF_INET6 : AF_INET, s, dst[i]);
        dst_sum[i] = sum16(dst[i], 16, 0);
    }

    static uint8_t bufs[RX_BATCH][SLOT];
    static struct sockaddr_in6 names[RX_BATCH]; /* large enough for either family */
    static struct iovec rxiov[RX_BATCH];
    static struct mmsghdr rxmsg[RX_BATCH];
    static uint8_t hdrs[TX_BATCH][HDR6];
    static struct sockaddr_in6 to[TX_BATCH];
    static struct iovec txiov[TX_BATCH][2];
    static struct mmsghdr txmsg[TX_BATCH];
    for (int i = 0; i < RX_BATCH; i++) {
        rxiov[i].iov_base = bufs[i];
        rxiov[i].iov_len = SLOT;
    }
    for (int i = 0; i < TX_BATCH; i++) {
        txiov[i][0].iov_base = hdrs[i];
        txiov[i][0].iov_len = hdr;
        to[i].sin6_family = v6 ? AF_INET6 : AF_INET;
        txmsg[i].msg_hdr.msg_name = &to[i];
        txmsg[i].msg_hdr.msg_namelen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
        txmsg[i].msg_hdr.msg_iov = txiov[i];
        txmsg[i].msg_hdr.msg_iovlen = 2;
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
            uint8_t t[HDR6] = { 0 };
            const uint8_t *src;
            uint16_t sport, dport = htons(4789), ulen = htons(8 + len);
            uint64_t base = 0;
            if (v6) {
                src = names[m].sin6_addr.s6_addr;
                sport = names[m].sin6_port;
                t[0] = 0x60;
                memcpy(t + 4, &ulen, 2);
                t[6] = IPPROTO_UDP;
                t[7] = 64;
                memcpy(t + 8, src, 16);
                memcpy(t + 40, &sport, 2);
                memcpy(t + 42, &dport, 2);
                memcpy(t + 44, &ulen, 2);
                /* The UDP checksum is mandatory over IPv6: everything but the destination, once per datagram. */
                uint32_t plen = htonl(8 + len);
                base = sum16(src, 16, 0) + (plen & 0xffff) + (plen >> 16) + htons(IPPROTO_UDP) + sport + dport + ulen + sum16(d, len, 0);
            } else {
                struct sockaddr_in *a = (struct sockaddr_in *)&names[m];
                src = (const uint8_t *)&a->sin_addr;
                sport = a->sin_port;
                uint16_t tot = htons(HDR + len);
                t[0] = 0x45; t[8] = 64; t[9] = 17;
                memcpy(t + 2, &tot, 2);
                memcpy(t + 12, src, 4);
                memcpy(t + 20, &sport, 2);
                memcpy(t + 22, &dport, 2);
                memcpy(t + 24, &ulen, 2);
            }
            int alen = v6 ? 16 : 4;
            for (int i = 0; i < fanout; i++) {
                if (memcmp(dst[i], src, alen) == 0) continue;
                if (q == TX_BATCH) {
                    for (int done = 0; done < q;) { int s = sendmmsg(tx, txmsg + done, q - done, 0); done += s > 0 ? s : 1; }
                    q = 0;
                }
                memcpy(hdrs[q], t, hdr);
                if (v6) {
                    memcpy(hdrs[q] + 24, dst[i], 16);
                    memcpy(&to[q].sin6_addr, dst[i], 16);
                    uint16_t c = (uint16_t)~fold(base + dst_sum[i]);
                    if (c == 0) c = 0xffff;
                    memcpy(hdrs[q] + 46, &c, 2);
                } else {
                    memcpy(hdrs[q] + 16, dst[i], 4);
                    memcpy(&((struct sockaddr_in *)&to[q])->sin_addr, dst[i], 4);
                }
                txiov[q][1].iov_base = d;
                txiov[q][1].iov_len = len;
                q++;
            }
        }
        for (int done = 0; done < q;) { int s = sendmmsg(tx, txmsg + done, q - done, 0); done += s > 0 ? s : 1; }
    }
}

static int generate(const char *src_ip, const char *dst_ip, int port, int inner, double rate, int sockets, int vni)
{
    enum { BURST = 32 };
    int fds[64];
    if (sockets > 64) sockets = 64;
    int v6 = strchr(src_ip, ':') != NULL;
    struct sockaddr_in6 src = { 0 }, dst = { 0 };
    socklen_t alen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (v6) {
        src.sin6_family = dst.sin6_family = AF_INET6;
        dst.sin6_port = htons(port);
        inet_pton(AF_INET6, src_ip, &src.sin6_addr);
        inet_pton(AF_INET6, dst_ip, &dst.sin6_addr);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&src, *d4 = (struct sockaddr_in *)&dst;
        s4->sin_family = d4->sin_family = AF_INET;
        d4->sin_port = htons(port);
        inet_pton(AF_INET, src_ip, &s4->sin_addr);
        inet_pton(AF_INET, dst_ip, &d4->sin_addr);
    }
    for (int i = 0; i < sockets; i++) {
        fds[i] = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        if (bind(fds[i], (struct sockaddr *)&src, alen) != 0) { perror("bind"); return 1; }
        connect(fds[i], (struct sockaddr *)&dst, alen);
    }
    static uint8_t datagram[SLOT];
    int len = 8 + inner;
    datagram[0] = 0x08;
    datagram[4] = vni >> 16; datagram[5] = vni >> 8; datagram[6] = vni;
    memset(datagram + 8, 0xff, 6); /* broadcast destination MAC */
    for (int i = 14; i < len; i++) datagram[i] = (uint8_t)i;
    struct iovec iov = { datagram, len };
    struct mmsghdr msgs[BURST];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BURST; i++) { msgs[i].msg_hdr.msg_iov = &iov; msgs[i].msg_hdr.msg_iovlen = 1; }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double sent = 0;
    for (unsigned k = 0;; k++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double elapsed = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if (sent > elapsed * rate) {
            struct timespec pause = { 0, 50000 };
            nanosleep(&pause, NULL);
            continue;
        }
        int s = sendmmsg(fds[k % sockets], msgs, BURST, 0);
        sent += s > 0 ? s : 0;
    }
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "replicate") == 0)
        return replicate(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc == 9 && strcmp(argv[1], "generate") == 0)
        return generate(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]), atof(argv[6]), atoi(argv[7]), atoi(argv[8]));
    fprintf(stderr, "usage: reference replicate BIND_IP PORT FANOUT | generate SRC DST PORT INNER RATE SOCKETS VNI\n");
    return 2;
}
