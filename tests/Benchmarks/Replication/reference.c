/*
 * Benchmark reference for vxsnd's data plane, compiled with gcc by the benchmark at run time.
 *
 *   reference replicate BIND_IP PORT FANOUT
 *       A hand-tuned C replicator: recvmmsg batches of 64, then for each datagram one copy per
 *       destination 203.0.113.1..FANOUT (except the sender), each an iovec pair (prebuilt
 *       IPv4+UDP header with the sender's source address and port, shared payload) on a raw
 *       IP_HDRINCL socket, flushed with sendmmsg up to 1024 copies per call.
 *
 *   reference generate SRC_IP DST_IP PORT INNER_BYTES RATE SOCKETS VNI
 *       Load generator: VXLAN datagrams (broadcast inner frame of INNER_BYTES) at RATE datagrams
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

static int replicate(const char *bind_ip, int port, int fanout)
{
    int rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int one = 1, rcvbuf = 4 << 20, sndbuf = 4 << 20;
    setsockopt(rx, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, bind_ip, &addr.sin_addr);
    if (bind(rx, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); return 1; }
    int tx = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (tx < 0) { perror("raw socket"); return 1; }
    setsockopt(tx, IPPROTO_IP, IP_HDRINCL, &one, sizeof one);
    setsockopt(tx, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);

    uint32_t dst[256];
    for (int i = 0; i < fanout; i++) {
        char s[32];
        snprintf(s, sizeof s, "203.0.113.%d", i + 1);
        inet_pton(AF_INET, s, &dst[i]);
    }

    static uint8_t bufs[RX_BATCH][SLOT];
    static struct sockaddr_in names[RX_BATCH];
    static struct iovec rxiov[RX_BATCH];
    static struct mmsghdr rxmsg[RX_BATCH];
    static uint8_t hdrs[TX_BATCH][32];
    static struct sockaddr_in to[TX_BATCH];
    static struct iovec txiov[TX_BATCH][2];
    static struct mmsghdr txmsg[TX_BATCH];
    for (int i = 0; i < RX_BATCH; i++) {
        rxiov[i].iov_base = bufs[i];
        rxiov[i].iov_len = SLOT;
    }
    for (int i = 0; i < TX_BATCH; i++) {
        txiov[i][0].iov_base = hdrs[i];
        txiov[i][0].iov_len = HDR;
        to[i].sin_family = AF_INET;
        txmsg[i].msg_hdr.msg_name = &to[i];
        txmsg[i].msg_hdr.msg_namelen = sizeof to[i];
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
            uint32_t src = names[m].sin_addr.s_addr;
            uint8_t t[HDR] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17 };
            uint16_t tot = htons(HDR + len), ulen = htons(8 + len), dport = htons(4789);
            memcpy(t + 2, &tot, 2);
            memcpy(t + 12, &src, 4);
            memcpy(t + 20, &names[m].sin_port, 2);
            memcpy(t + 22, &dport, 2);
            memcpy(t + 24, &ulen, 2);
            for (int i = 0; i < fanout; i++) {
                if (dst[i] == src) continue;
                if (q == TX_BATCH) {
                    for (int done = 0; done < q;) { int s = sendmmsg(tx, txmsg + done, q - done, 0); done += s > 0 ? s : 1; }
                    q = 0;
                }
                memcpy(hdrs[q], t, HDR);
                memcpy(hdrs[q] + 16, &dst[i], 4);
                to[q].sin_addr.s_addr = dst[i];
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
    struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, src_ip, &src.sin_addr);
    inet_pton(AF_INET, dst_ip, &dst.sin_addr);
    for (int i = 0; i < sockets; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        if (bind(fds[i], (struct sockaddr *)&src, sizeof src) != 0) { perror("bind"); return 1; }
        connect(fds[i], (struct sockaddr *)&dst, sizeof dst);
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
