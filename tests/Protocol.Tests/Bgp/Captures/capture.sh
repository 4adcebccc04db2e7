#!/usr/bin/env bash
# Regenerates the BGP captures in this folder (one message per *.hex file, see README).
#
# Builds, in network namespaces of its own (documentation addresses only):
#   sw     a bridge joining the underlay 192.0.2.0/24, where tcpdump records every BGP segment
#   rrf    FRR route reflector 192.0.2.1 (bgpd -Z, listen range, cluster id 192.0.2.1)
#   rrg    GoBGP route reflector 192.0.2.2 (static clients 192.0.2.11, .12, .13)
#   vtep   FRR VTEP 192.0.2.11: zebra + bgpd, br100 + vxlan100 (VNI 100, learning off), advertise-all-vni
#   host   a host 203.0.113.1 behind the VTEP's bridge, whose MAC becomes a type-2 route
#   obs    FRR bgpd 192.0.2.13, client of both reflectors: receives the reflected updates
#   bad    FRR bgpd 192.0.2.12 claiming AS 65001: both reflectors answer with a NOTIFICATION
# then provokes a ROUTE-REFRESH from each side, withdraws the VNI (withdrawal UPDATEs) and stops
# the VTEP (a Cease NOTIFICATION), splits each TCP direction into BGP messages and writes one file
# per kind of message. Bounded (about 40 s), and everything is torn down on exit, also on failure.
# Needs root, frr, gobgpd, tcpdump, tshark, python3.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)"
tag="bgpcap$$"
work="$(mktemp -d /tmp/$tag.XXXX)"
chmod 755 "$work"
nodes=(sw rrf rrg vtep host obs bad)
ns() { echo "$tag-$1"; }
pids=()

cleanup() {
  set +e
  # FRR daemons take 1-3 s to exit on SIGTERM; deleting a namespace does not stop them.
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for f in "$work"/*/*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done
  for _ in $(seq 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    for f in "$work"/*/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for f in "$work"/*/*.pid; do [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null; done
  for n in "${nodes[@]}"; do ip netns del "$(ns "$n")" 2>/dev/null; done
  for n in rrf rrg vtep obs bad; do rm -rf "/var/run/frr/$tag-$n"; done
  rm -rf "$work"
}
trap cleanup EXIT

for n in "${nodes[@]}"; do ip netns add "$(ns "$n")"; ip -n "$(ns "$n")" link set lo up; done
ip -n "$(ns sw)" link add br0 type bridge
ip -n "$(ns sw)" link set br0 up
declare -A addr=([rrf]=192.0.2.1 [rrg]=192.0.2.2 [vtep]=192.0.2.11 [bad]=192.0.2.12 [obs]=192.0.2.13)
for n in rrf rrg vtep bad obs; do
  ip -n "$(ns sw)" link add "$n" type veth peer name eth0 netns "$(ns "$n")"
  ip -n "$(ns sw)" link set "$n" master br0 up
  ip -n "$(ns "$n")" addr add "${addr[$n]}/24" dev eth0
  ip -n "$(ns "$n")" link set eth0 up
done

# The VTEP: bridge + VXLAN device with learning off (FRR installs the flood entries), one host port.
ip -n "$(ns vtep)" link add br100 type bridge
ip -n "$(ns vtep)" link add vxlan100 type vxlan id 100 local 192.0.2.11 dstport 4789 nolearning
ip -n "$(ns vtep)" link set vxlan100 master br100 addrgenmode none
ip -n "$(ns vtep)" link add hp0 type veth peer name eth0 netns "$(ns host)"
ip -n "$(ns vtep)" link set hp0 master br100
for d in br100 vxlan100 hp0; do ip -n "$(ns vtep)" link set "$d" up; done
ip netns exec "$(ns host)" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n "$(ns host)" addr add 203.0.113.1/24 dev eth0
ip -n "$(ns host)" link set eth0 up

ip netns exec "$(ns sw)" tcpdump -i br0 -U -s 0 -w "$work/bgp.pcap" tcp port 179 >"$work/tcpdump.log" 2>&1 &
pids+=($!)
sleep 1

frr_dir() { mkdir -p "$work/$1"; chown frr:frr "$work/$1"; mkdir -p "/var/run/frr"; echo "$work/$1"; }
bgpd_common="no bgp default ipv4-unicast
 no bgp network import-check"

start_bgpd() { # name config [-Z]
  local d; d="$(frr_dir "$1")"
  printf '%s\n' "$2" >"$d/bgpd.conf"; mkdir -p "$d/$tag-$1"; : >"$d/$tag-$1/vtysh.conf"
  chown frr:frr "$d"/*.conf
  ip netns exec "$(ns "$1")" /usr/lib/frr/bgpd -d -N "$tag-$1" -f "$d/bgpd.conf" -i "$d/bgpd.pid" \
    --log "file:$d/bgpd.log" -P 0 "${@:3}"
}

start_bgpd rrf "frr defaults datacenter
router bgp 65000
 bgp router-id 192.0.2.1
 bgp cluster-id 192.0.2.1
 $bgpd_common
 neighbor fabric peer-group
 neighbor fabric remote-as 65000
 bgp listen range 192.0.2.0/24 peer-group fabric
 address-family l2vpn evpn
  neighbor fabric activate
  neighbor fabric route-reflector-client
 exit-address-family" -Z

mkdir -p "$work/rrg"
cat >"$work/rrg/gobgpd.toml" <<'EOF'
[global.config]
  as = 65000
  router-id = "192.0.2.2"
  local-address-list = ["192.0.2.2"]
EOF
for peer in 192.0.2.11 192.0.2.12 192.0.2.13; do
  cat >>"$work/rrg/gobgpd.toml" <<EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$peer"
    peer-as = 65000
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "192.0.2.2"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
EOF
done
ip netns exec "$(ns rrg)" gobgpd -f "$work/rrg/gobgpd.toml" -p --api-hosts 127.0.0.1:50051 --pprof-disable \
  >"$work/rrg/gobgpd.log" 2>&1 &
pids+=($!)

d="$(frr_dir vtep)"
printf 'hostname vtep\n' >"$d/zebra.conf"; chown frr:frr "$d"/*.conf
ip netns exec "$(ns vtep)" /usr/lib/frr/zebra -d -N "$tag-vtep" -f "$d/zebra.conf" -i "$d/zebra.pid" \
  --log "file:$d/zebra.log" -P 0
sleep 1
start_bgpd vtep "frr defaults datacenter
router bgp 65000
 bgp router-id 192.0.2.11
 $bgpd_common
 coalesce-time 50
 neighbor 192.0.2.1 remote-as 65000
 neighbor 192.0.2.2 remote-as 65000
 address-family l2vpn evpn
  neighbor 192.0.2.1 activate
  neighbor 192.0.2.2 activate
  advertise-all-vni
 exit-address-family"

start_bgpd obs "frr defaults datacenter
router bgp 65000
 bgp router-id 192.0.2.13
 $bgpd_common
 neighbor 192.0.2.1 remote-as 65000
 neighbor 192.0.2.2 remote-as 65000
 address-family l2vpn evpn
  neighbor 192.0.2.1 activate
  neighbor 192.0.2.2 activate
 exit-address-family" -Z
start_bgpd bad "frr defaults datacenter
router bgp 65001
 bgp router-id 192.0.2.12
 $bgpd_common
 no bgp ebgp-requires-policy
 neighbor 192.0.2.1 remote-as 65000
 neighbor 192.0.2.2 remote-as 65000
 address-family l2vpn evpn
  neighbor 192.0.2.1 activate
  neighbor 192.0.2.2 activate
 exit-address-family" -Z

vty() { ip netns exec "$(ns "$1")" vtysh -N "$tag-$1" --config_dir "$work/$1" -c "$2"; }
wait_for() { # seconds description command...
  local until=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt "$until" ] || { echo "timed out waiting for $what" >&2; exit 1; }
    sleep 0.5
  done
}
type3_on_obs() { vty obs 'show bgp l2vpn evpn route type multicast' | grep -q '192.0.2.11'; }
no_type3_on_obs() { ! vty obs 'show bgp l2vpn evpn route type multicast' | grep -q '192.0.2.11'; }
type2_on_obs() { vty obs 'show bgp l2vpn evpn route type macip' | grep -q '\[2\]'; }

wait_for 30 "the type-3 route on the observer" type3_on_obs
# The host's ARP request puts its MAC in the bridge; zebra hands it to bgpd as a type-2 route.
ip netns exec "$(ns host)" ping -c 2 -i 0.2 -W 1 203.0.113.2 >/dev/null 2>&1 || true
wait_for 20 "the type-2 route on the observer" type2_on_obs
sleep 1
# ROUTE-REFRESH from FRR (the VTEP asks both reflectors) and from GoBGP (asks the VTEP).
vty vtep 'clear bgp l2vpn evpn * soft in' >/dev/null
ip netns exec "$(ns rrg)" gobgp -p 50051 neighbor 192.0.2.11 softresetin -a evpn >/dev/null
sleep 2
# Withdrawals: the VNI goes, so do its type-3 and type-2 routes.
ip -n "$(ns vtep)" link del vxlan100
wait_for 20 "the withdrawal on the observer" no_type3_on_obs
sleep 1
# A Cease NOTIFICATION: the VTEP's bgpd is stopped.
kill -TERM "$(cat "$work/vtep/bgpd.pid")"
sleep 3
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

# Split each TCP direction into BGP messages and keep the first message of each kind.
tshark -r "$work/bgp.pcap" -o tcp.desegment_tcp_streams:FALSE -T fields -E separator=' ' \
  -e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport -e tcp.seq -e tcp.payload >"$work/segments.txt"
day="$(date -u +%F)"
frr_version="$(/usr/lib/frr/bgpd --version 2>/dev/null | head -1)"
gobgp_version="$(gobgpd --version 2>/dev/null | head -1)"
rm -f "$out"/*.hex
python3 - "$work/segments.txt" "$out" "$day" "$frr_version" "$gobgp_version" <<'PY'
import sys, collections
segments, out, day, frr_version, gobgp_version = sys.argv[1:6]
streams = collections.defaultdict(dict)
for line in open(segments):
    f = line.split()
    if len(f) < 6 or not f[5]:
        continue
    streams[(f[0], f[1], f[2], f[3])].setdefault(int(f[4]), bytes.fromhex(f[5].replace(':', '')))
names = {'192.0.2.1': 'frr-rr', '192.0.2.2': 'gobgp-rr', '192.0.2.11': 'frr-vtep', '192.0.2.12': 'frr-bad-as', '192.0.2.13': 'frr-observer'}
notification = {(2, 2): 'bad-peer-as', (6, 2): 'cease-shutdown', (6, 3): 'cease-unconfigured', (6, 4): 'cease-admin-reset',
                (6, 5): 'cease-connection-rejected', (6, 7): 'cease-collision', (4, 0): 'hold-timer'}
written = {}
def kind(m):
    t = m[18]
    if t == 1: return 'open'
    if t == 4: return 'keepalive'
    if t == 5: return 'route-refresh'
    if t == 3: return 'notification-' + notification.get((m[19], m[20]), f'{m[19]}-{m[20]}')
    wl = int.from_bytes(m[19:21], 'big'); p = 21 + wl
    al = int.from_bytes(m[p:p + 2], 'big'); p += 2; end = p + al
    attrs = {}
    while p < end:
        flags, code = m[p], m[p + 1]
        if flags & 0x10: ln = int.from_bytes(m[p + 2:p + 4], 'big'); p += 4
        else: ln = m[p + 2]; p += 3
        attrs[code] = m[p:p + ln]; p += ln
    reflected = '-reflected' if 9 in attrs else ''
    def route_types(nlri):  # EVPN NLRI: type, length, value; one name part per distinct type
        types, q = [], 0
        while q + 2 <= len(nlri):
            if f'type{nlri[q]}' not in types: types.append(f'type{nlri[q]}')
            q += 2 + nlri[q + 1]
        return '-'.join(types)
    if 14 in attrs:
        a = attrs[14]; nh = a[3]
        return f'update-{route_types(a[5 + nh:])}{reflected}'
    if 15 in attrs:
        a = attrs[15]
        return 'eor' if len(a) == 3 else f'update-withdraw-{route_types(a[3:])}{reflected}'
    return 'update-other'
for (src, sport, dst, dport), segs in sorted(streams.items()):
    data, expect = b'', None
    for seq in sorted(segs):
        if expect is not None and seq < expect:
            continue
        data += segs[seq]; expect = seq + len(segs[seq])
    p = 0
    while p + 19 <= len(data):
        ln = int.from_bytes(data[p + 16:p + 18], 'big')
        if ln < 19 or p + ln > len(data): break
        m = data[p:p + ln]; p += ln
        who = names.get(src, src)
        peer = names.get(dst, dst)
        k = kind(m)
        # Files are named after the implementation that sent them; the VTEP's messages are plain frr-*.
        prefix = {'frr-vtep': 'frr', 'frr-rr': 'frr-rr', 'gobgp-rr': 'gobgp'}.get(who)
        if prefix is None: continue
        name = f'{prefix}-{k}.hex'
        if name in written: continue
        version = gobgp_version if prefix == 'gobgp' else frr_version
        how = f'{who} ({src}) to {peer} ({dst}), {version}, by capture.sh'
        with open(f'{out}/{name}', 'w') as fh:
            fh.write(f'# captured from {who} on {day}: {how}\n')
            for i in range(0, len(m), 16):
                fh.write(m[i:i + 16].hex() + '\n')
        written[name] = len(m)
for name in sorted(written):
    print(f'{name}: {written[name]} bytes')
PY
