#!/usr/bin/env bash
# The Replicator lab: builds Release, starts vxsnd and vxrd on a topology of network namespaces
# (an underlay router, two clustered service nodes behind one anycast address, three VTEPs with
# bridges, six hosts), proves the overlay works, kills a service node to prove failover, prints a
# report, and tears everything down.
#
#   deploy/lab/lab.sh [--mode her|snr] [--underlay ipv4|ipv6] [--evpn] [--keep] [--no-build] [--installed]
#   deploy/lab/lab.sh down
#
#   --mode snr       vxrd points every VTEP at the anycast service node; vxsnd replicates (default)
#   --mode her       head-end replication: vxrd gives each VTEP its peers; the kernel replicates
#   --underlay ipv4  underlay in 192.0.2.0/24, anycast 203.0.113.1 (default)
#   --underlay ipv6  underlay in 2001:db8::/32, anycast 2001:db8:ffff::1
#   --evpn           adds an EVPN fabric (docs/evpn.md): an FRR and a GoBGP route reflector, two FRR
#                    VTEPs (zebra + bgpd, advertise-all-vni) with hosts on VNIs 100 and 200; both
#                    vxsnd peer with both reflectors (ServiceNode:Bgp); every host pair across both
#                    worlds must ping; IPv4 underlay only (FRR 8.4 has no IPv6 VTEPs)
#   --keep           leave the lab running after the report (sn1 restarted after the failover
#                    check); stop it later with 'lab.sh down'
#   --no-build       use the existing Release build
#   --installed      run the installed packages' /usr/sbin/vxsnd and /usr/sbin/vxrd (docs/install.md);
#                    builds nothing and needs no .NET SDK
#   down             remove the lab (namespaces, daemons, sockets, logs)
#
# Exit code 0 only when every check passed. Environment: LAB_PREFIX (namespace prefix, default
# "rlab"), LAB_TIMEOUT (seconds allowed after the build, default 180), LAB_CONVERGE_TIMEOUT
# (seconds allowed for every host pair to answer, default 30).
# The service nodes sn1 and sn2 form a cluster (each lists the other in Peers): both put the
# anycast address on their loopback once ready (InstallAnycast), the underlay routes it to sn1 (a
# fabric preferring sn1). sn1 starts first; once it holds every VTEP's registration, sn2 starts and
# pulls the table from it (start-up sync); later registrations reach sn2 by relay. After the normal
# checks, the failover check SIGKILLs sn1's vxsnd and moves the underlay's anycast route to sn2 (what
# the fabric does when sn1 stops announcing): every VNI 100 pair must answer again within
# FAILOVER_BOUND_S seconds and sn2 must still hold every VTEP. With --keep, sn1 is then restarted
# (it syncs from sn2) and the route moves back to it, so the kept lab runs both nodes again.
# Every daemon runs authenticated: the lab writes a key file with the built 'vxsnd keygen' and
# gives it to every vxsnd and vxrd (Authentication:KeyFile). One check starts a vxrd without a key
# file and without Authentication:AllowUnauthenticated: it must refuse to start (exit 1, one line
# naming both keys).
# Developer option --standin: runs no daemon. It programs the VTEPs' default FDB entries by hand
# (what vxrd does) and, in snr mode, replaces vxsnd's data plane on sn1 with standin-replicator.py
# (a naive Python loop with static members), to prove the topology, checks, report and teardown
# without the daemons (no cluster, so no failover check). Only the daemons prove Replicator itself;
# the stand-in proves the lab.
# Only documentation addresses are used (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
# 2001:db8::/32), only inside namespaces this script creates.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=${LAB_PREFIX:-rlab}
STATE=${TMPDIR:-/tmp}/$P-lab
TIMEOUT=${LAB_TIMEOUT:-180}
MODE=snr UNDERLAY=ipv4 KEEP=0 STANDIN=0 BUILD=1 INSTALLED=0 ACTION=up EVPN=0

usage() {
  sed -n '2,/^# (seconds allowed for every/p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --mode) MODE=${2:-}; shift 2 || usage 2 ;;
    --mode=*) MODE=${1#*=}; shift ;;
    --underlay) UNDERLAY=${2:-}; shift 2 || usage 2 ;;
    --underlay=*) UNDERLAY=${1#*=}; shift ;;
    --keep) KEEP=1; shift ;;
    --evpn) EVPN=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --installed) INSTALLED=1; BUILD=0; shift ;;
    --standin) STANDIN=1; BUILD=0; shift ;;
    down) ACTION=down; shift ;;
    -h|--help) usage 0 ;;
    *) echo "lab.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
case "$MODE" in her|snr) ;; *) echo "lab.sh: --mode must be her or snr, not '$MODE'" >&2; exit 2 ;; esac
case "$UNDERLAY" in ipv4|ipv6) ;; *) echo "lab.sh: --underlay must be ipv4 or ipv6, not '$UNDERLAY'" >&2; exit 2 ;; esac
if [ "$EVPN" = 1 ] && [ "$UNDERLAY" != ipv4 ]; then echo "lab.sh: --evpn needs --underlay ipv4 (FRR 8.4 cannot use an IPv6 VXLAN source; docs/evpn.md)" >&2; exit 2; fi
if [ "$EVPN" = 1 ] && [ "$STANDIN" = 1 ]; then echo "lab.sh: --evpn needs the daemons (vxsnd speaks BGP), not --standin" >&2; exit 2; fi
if [ "$(id -u)" != 0 ]; then echo "lab.sh: needs root (network namespaces)" >&2; exit 1; fi

# ---- the topology, as data ------------------------------------------------------------------
# Underlay links: index per node; node N's link is 192.0.2.(4N)/30 or 2001:db8:0:N::/64.
NODES=(sn1 sn2 vtep1 vtep2 vtep3)
declare -A LINK=([sn1]=1 [sn2]=2 [vtep1]=3 [vtep2]=4 [vtep3]=5 [rrf]=6 [rrg]=7 [evtep1]=8 [evtep2]=9)
VTEPS=(vtep1 vtep2 vtep3)
declare -A VTEP_VNIS=([vtep1]="100 200" [vtep2]="100 200" [vtep3]="100" [evtep1]="100 200" [evtep2]="100")
# host:vtep:vni:address; VNI 200 reuses VNI 100's subnet on purpose, so isolation is real.
HOSTS=(h1:vtep1:100:198.51.100.11 h2:vtep2:100:198.51.100.12 h3:vtep3:100:198.51.100.13
       h4:vtep1:100:198.51.100.14 h5:vtep1:200:198.51.100.201 h6:vtep2:200:198.51.100.202)
# --evpn: route reflectors (FRR, GoBGP) and FRR VTEPs with hosts on the same VNIs and subnets.
EVTEPS=() RRS=()
BGP_AS=65000
if [ "$EVPN" = 1 ]; then
  RRS=(rrf rrg) EVTEPS=(evtep1 evtep2)
  NODES+=("${RRS[@]}" "${EVTEPS[@]}")
  HOSTS+=(h7:evtep1:100:198.51.100.17 h8:evtep2:100:198.51.100.18 h9:evtep1:200:198.51.100.209)
fi
ALL_VTEPS=("${VTEPS[@]}" "${EVTEPS[@]}") # every VTEP of the overlay, Replicator's and EVPN's
HOST_MTU=1400 # VXLAN adds 50 bytes over IPv4, 70 over IPv6: 1400 fits a 1500-byte underlay.
VXSND_METRICS_PORT=9501
VXRD_METRICS_PORT=9502
SNS=(sn1 sn2)                             # the service-node cluster; the underlay prefers sn1
declare -A SN_PEER=([sn1]=sn2 [sn2]=sn1) # each node's Peers
SN_SYNC_TIMEOUT=00:00:01   # the lab's peers answer in milliseconds; sn1 starts alone and waits this long
SN_KEEPALIVE=00:00:01      # so a dead peer shows as unreachable within 3 s
FAILOVER_BOUND_S=15        # every VNI 100 pair answers again within this after sn1 is killed
VXRD_HOLD=00:00:09         # vxrd's HoldTime in the lab: with RefreshRate 3 it refreshes every 3 s (or a bit less),
VXRD_REFRESH_S=3           # so every VTEP reaches sn2 within seconds of the failover (deploy/config: 90 s / 30 s)

if [ "$UNDERLAY" = ipv4 ]; then
  ANYCAST=203.0.113.1 ANYCAST_PLEN=32 WILDCARD=0.0.0.0
  ul_addr() { echo "192.0.2.$((4 * LINK[$1] + 1))"; } # underlay router's side
  node_addr() { echo "192.0.2.$((4 * LINK[$1] + 2))"; }
  PLEN=30 FAMILY=-4 NODAD=""
else
  ANYCAST=2001:db8:ffff::1 ANYCAST_PLEN=128 WILDCARD=::
  ul_addr() { echo "2001:db8:0:${LINK[$1]}::1"; }
  node_addr() { echo "2001:db8:0:${LINK[$1]}::2"; }
  PLEN=64 FAMILY=-6 NODAD=nodad # usable at once, without waiting for duplicate address detection
fi

VXSND=(dotnet "$ROOT/ServiceNode/bin/Release/net10.0/vxsnd.dll")
VXRD=(dotnet "$ROOT/RegistrationDaemon/bin/Release/net10.0/vxrd.dll")
if [ "$INSTALLED" = 1 ]; then VXSND=(/usr/sbin/vxsnd) VXRD=(/usr/sbin/vxrd); fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ns() { echo "$P-$1"; }
nsx() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }
now_us() { echo "${EPOCHREALTIME/./}"; }
log() { printf '%s\n' "$*"; }

# ---- teardown -------------------------------------------------------------------------------
own_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${P}-(underlay|sn[12]|vtep[1-3]|h[1-9]|rrf|rrg|evtep[12])\$" || true
}

teardown() {
  local n pid pids
  for n in $(own_namespaces); do
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    [ -n "$pids" ] && kill -TERM $pids 2>/dev/null || true
  done
  # Give the daemons a moment to withdraw and exit cleanly, then insist.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=""
    for n in $(own_namespaces); do pids+=" $(ip netns pids "$n" 2>/dev/null || true)"; done
    [ -z "${pids// /}" ] && break
    sleep 0.3
  done
  [ -n "${pids// /}" ] && kill -KILL $pids 2>/dev/null || true
  for n in $(own_namespaces); do ip netns del "$n" 2>/dev/null || true; done
  rm -f "/run/$P-sn1.sock" "/run/$P-sn2.sock" "/run/$P-vtep1.sock" "/run/$P-vtep2.sock" "/run/$P-vtep3.sock"
  rm -rf "/var/run/frr/$P-rrf" "/var/run/frr/$P-evtep1" "/var/run/frr/$P-evtep2" # FRR's vty sockets (-N)
}

if [ "$ACTION" = down ]; then
  left=$(own_namespaces | wc -l)
  teardown
  rm -rf "$STATE"
  log "lab '$P' removed ($left namespaces)"
  exit 0
fi

WATCHDOG=""
TORN=0
on_exit() {
  local rc=$?
  [ -n "$WATCHDOG" ] && { kill $(ps -o pid= --ppid "$WATCHDOG" 2>/dev/null) "$WATCHDOG" 2>/dev/null || true; }
  if [ "$TORN" = 0 ]; then
    TORN=1
    teardown
    [ "$rc" = 0 ] && rm -rf "$STATE"
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'log "lab.sh: interrupted"; exit 130' INT
trap 'log "lab.sh: stopped (timeout ${TIMEOUT}s or SIGTERM)"; exit 124' TERM

# ---- prerequisites and build ----------------------------------------------------------------
PREREQUISITES_NO_DOTNET=$INSTALLED "$ROOT/tests/prerequisites.sh"
if [ "$BUILD" = 1 ]; then
  log "building Release..."
  (cd "$ROOT" && dotnet build Replicator.sln -c Release -nologo -clp:ErrorsOnly -v:q) >/dev/null ||
    (cd "$ROOT" && dotnet build Replicator.sln -c Release -nologo -clp:ErrorsOnly)
fi
if [ "$STANDIN" = 0 ]; then
  for dll in "${VXSND[-1]}" "${VXRD[-1]}"; do
    [ -f "$dll" ] || { echo "lab.sh: $dll missing: build Release first (or drop --no-build)" >&2; exit 1; }
  done
fi

# The overall deadline starts after the build, which may legitimately take minutes on a fresh machine.
( sleep "$TIMEOUT"; kill -TERM $$ ) >/dev/null 2>&1 </dev/null &
WATCHDOG=$!

# A previous run that crashed may have left namespaces and daemons of this prefix behind.
[ -n "$(own_namespaces)" ] && log "removing leftovers of lab '$P'"
teardown
rm -rf "$STATE"
mkdir -p "$STATE"
KEYS=$STATE/keys # the one key file of every daemon, written by the built keygen (mode 0600)
if [ "$STANDIN" = 0 ]; then "${VXSND[@]}" keygen "$KEYS" >/dev/null; fi

T_SETUP=$(now_us)
log "lab '$P': mode $MODE, underlay $UNDERLAY$([ "$STANDIN" = 1 ] && echo ', STAND-IN (no daemons)')"

new_ns() {
  ip netns add "$P-$1"
  nsx "$1" ip link set lo up
  # Before any interface exists, so every interface inherits these defaults: no reverse-path
  # filter (replicated copies keep the original VTEP as source and arrive on the service node's
  # link) and no duplicate address detection (addresses are usable at once).
  nsx "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# ---- underlay -------------------------------------------------------------------------------
new_ns underlay
nsx underlay sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
for node in "${NODES[@]}"; do
  new_ns "$node"
  # Overlay-facing devices on VTEPs stay IPv6-free so hosts and bridges add no noise to the
  # overlay; the uplink gets IPv6 back explicitly below.
  nsx "$node" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  ip -n "$(ns underlay)" link add "to-$node" type veth peer name uplink netns "$(ns "$node")"
  nsx "$node" sysctl -qw net.ipv6.conf.uplink.disable_ipv6=0
  nsx underlay ip $FAMILY addr add "$(ul_addr "$node")/$PLEN" dev "to-$node" $NODAD
  nsx "$node" ip $FAMILY addr add "$(node_addr "$node")/$PLEN" dev uplink $NODAD
  nsx underlay ip link set "to-$node" up
  nsx "$node" ip link set uplink up
  nsx "$node" ip $FAMILY route add default via "$(ul_addr "$node")"
done

# ---- service nodes: the underlay routes the anycast to sn1 (a fabric preferring sn1) ---------
# vxsnd puts the anycast on its own loopback once ready (InstallAnycast); the stand-in needs it
# put there by hand.
[ "$STANDIN" = 1 ] && nsx sn1 ip $FAMILY addr add "$ANYCAST/$ANYCAST_PLEN" dev lo
nsx underlay ip $FAMILY route add "$ANYCAST/$ANYCAST_PLEN" via "$(node_addr sn1)"

# ---- VTEPs: a bridge and a VXLAN device per VNI ----------------------------------------------
for v in "${VTEPS[@]}"; do
  for vni in ${VTEP_VNIS[$v]}; do
    # Learning stays on (the default): in service-node mode the receiving kernel must learn each
    # inner MAC behind the originating VTEP from the replicated copy's outer source address.
    nsx "$v" ip link add "vxlan$vni" type vxlan id "$vni" local "$(node_addr "$v")" dstport 4789 ttl 64
    nsx "$v" ip link add "br$vni" type bridge
    nsx "$v" ip link set "vxlan$vni" mtu "$HOST_MTU" master "br$vni" up
    nsx "$v" ip link set "br$vni" up
  done
done
# EVPN VTEPs: learning off, FRR installs the flood entries (type-3) and remote MACs (type-2).
for v in "${EVTEPS[@]}"; do
  for vni in ${VTEP_VNIS[$v]}; do
    nsx "$v" ip link add "vxlan$vni" type vxlan id "$vni" local "$(node_addr "$v")" dstport 4789 ttl 64 nolearning
    nsx "$v" ip link add "br$vni" type bridge
    nsx "$v" ip link set "vxlan$vni" mtu "$HOST_MTU" master "br$vni" up
    nsx "$v" ip link set "br$vni" up
  done
done

# ---- hosts ----------------------------------------------------------------------------------
for entry in "${HOSTS[@]}"; do
  IFS=: read -r h v vni addr <<<"$entry"
  new_ns "$h"
  nsx "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$(ns "$v")" link add "to-$h" mtu "$HOST_MTU" type veth peer name eth0 netns "$(ns "$h")"
  nsx "$v" ip link set "to-$h" master "br$vni" up
  nsx "$h" ip link set eth0 mtu "$HOST_MTU" up
  nsx "$h" ip addr add "$addr/24" dev eth0
done
T_TOPO=$(now_us)
log "topology up in $(( (T_TOPO - T_SETUP) / 1000 )) ms: $(own_namespaces | wc -l) namespaces"

# ---- control plane: the daemons, or the stand-in ---------------------------------------------
declare -A DAEMON_PID=()
expected_fdb() { # vtep vni -> the default FDB destinations vxrd must program, sorted
  local v=$1 vni=$2 o
  if [ "$MODE" = snr ]; then echo "$ANYCAST"; return; fi
  for o in "${ALL_VTEPS[@]}"; do
    if [ "$o" != "$v" ] && [[ " ${VTEP_VNIS[$o]} " == *" $vni "* ]]; then node_addr "$o"; fi
  done | sort
}

start_daemon() { # name command...: runs in namespace $P-name, own session (survives --keep), log $STATE/name.log
  local n=$1; shift
  setsid ip netns exec "$P-$n" "$@" </dev/null >"$STATE/$n.log" 2>&1 &
  DAEMON_PID[$n]=$!
}

# ---- the EVPN fabric (--evpn): FRR and GoBGP route reflectors, FRR VTEPs -----------------------
# Every daemon runs in the foreground under start_daemon's setsid, so teardown's kill of the
# namespaces' pids stops them. FRR's state (configuration, pid files, logs) is in $STATE/frr-NODE,
# owned by user frr (the daemons drop to it); -N puts its vty sockets in /var/run/frr/$P-NODE.
GOBGP_API=50051 # gobgpd's gRPC port on rrg's own loopback
frr_dir() { echo "$STATE/frr-$1"; }
vty() { nsx "$1" vtysh -N "$P-$1" --config_dir "$(frr_dir "$1")" -c "$2"; }
gobgp() { nsx rrg gobgp -p "$GOBGP_API" "$@"; }
frr_rr_config() { # the FRR route reflector: any client of the AS from the underlay, EVPN only (docs/evpn.md)
  cat <<EOF
frr defaults datacenter
router bgp $BGP_AS
 bgp router-id $(node_addr rrf)
 bgp cluster-id $(node_addr rrf)
 no bgp default ipv4-unicast
 bgp log-neighbor-changes
 coalesce-time 50
 neighbor fabric peer-group
 neighbor fabric remote-as $BGP_AS
 bgp listen range 192.0.2.0/24 peer-group fabric
 address-family l2vpn evpn
  neighbor fabric activate
  neighbor fabric route-reflector-client
 exit-address-family
EOF
}
frr_vtep_config() { # an FRR VTEP: client of both reflectors, every local VNI announced (docs/evpn.md)
  local rr
  printf 'frr defaults datacenter\nrouter bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n bgp log-neighbor-changes\n coalesce-time 50\n' \
    "$BGP_AS" "$(node_addr "$1")"
  for rr in "${RRS[@]}"; do printf ' neighbor %s remote-as %s\n' "$(node_addr "$rr")" "$BGP_AS"; done
  printf ' address-family l2vpn evpn\n'
  for rr in "${RRS[@]}"; do printf '  neighbor %s activate\n' "$(node_addr "$rr")"; done
  printf '  advertise-all-vni\n exit-address-family\n'
}
gobgp_rr_config() { # the GoBGP route reflector: static clients (both vxsnd, both FRR VTEPs)
  local c
  printf '[global.config]\n  as = %s\n  router-id = "%s"\n  local-address-list = ["%s"]\n' "$BGP_AS" "$(node_addr rrg)" "$(node_addr rrg)"
  for c in "${SNS[@]}" "${EVTEPS[@]}"; do
    cat <<EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$(node_addr "$c")"
    peer-as = $BGP_AS
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "$(node_addr rrg)"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
EOF
  done
}
start_frr() { # node config zebra|nozebra: bgpd (after zebra when asked), foreground, logs in $(frr_dir node)
  local n=$1 d; d=$(frr_dir "$1")
  mkdir -p "$d/$P-$n" /var/run/frr
  : >"$d/$P-$n/vtysh.conf" # vtysh -N NAME --config_dir DIR wants DIR/NAME/vtysh.conf
  printf '%s\n' "$2" >"$d/bgpd.conf"
  # The underlay reaches the reflectors and the other VTEPs through the default route only, which
  # FRR's next-hop tracking ignores unless told: without this no session comes up, no route is used.
  [ "$3" = zebra ] && printf 'hostname %s\nip nht resolve-via-default\n' "$n" >"$d/zebra.conf"
  chown -R frr:frr "$d"
  local common=(-N "$P-$n" -P 0)
  if [ "$3" = zebra ]; then
    setsid ip netns exec "$P-$n" /usr/lib/frr/zebra "${common[@]}" -f "$d/zebra.conf" -i "$d/zebra.pid" --log "file:$d/zebra.log" \
      </dev/null >"$d/zebra.out" 2>&1 &
    DAEMON_PID[$n-zebra]=$!
    for _ in $(seq 100); do [ -S "/var/run/frr/$P-$n/zserv.api" ] && break; sleep 0.1; done # bgpd connects once
    setsid ip netns exec "$P-$n" /usr/lib/frr/bgpd "${common[@]}" -f "$d/bgpd.conf" -i "$d/bgpd.pid" --log "file:$d/bgpd.log" \
      </dev/null >"$d/bgpd.out" 2>&1 &
  else
    setsid ip netns exec "$P-$n" /usr/lib/frr/bgpd "${common[@]}" -Z -f "$d/bgpd.conf" -i "$d/bgpd.pid" --log "file:$d/bgpd.log" \
      </dev/null >"$d/bgpd.out" 2>&1 &
  fi
  DAEMON_PID[$n-bgpd]=$!
}
start_evpn_fabric() {
  [ -x /usr/lib/frr/bgpd ] && command -v gobgpd >/dev/null || { echo "lab.sh: --evpn needs frr and gobgpd (tests/prerequisites.sh installs them)" >&2; exit 1; }
  start_frr rrf "$(frr_rr_config)" nozebra
  gobgp_rr_config >"$STATE/rrg.toml"
  start_daemon rrg gobgpd -f "$STATE/rrg.toml" -p --pprof-disable --api-hosts "127.0.0.1:$GOBGP_API"
  local v
  for v in "${EVTEPS[@]}"; do start_frr "$v" "$(frr_vtep_config "$v")" zebra; done
}
# vxsnd's BGP speaker: both reflectors, the node's own address as router id (docs/evpn.md).
vxsnd_bgp_args() { # sn1|sn2
  [ "$EVPN" = 1 ] || return 0
  local i=0 rr
  echo "--ServiceNode:Bgp:Enabled=true"
  echo "--ServiceNode:Bgp:LocalAs=$BGP_AS"
  echo "--ServiceNode:Bgp:RouterId=$(node_addr "$1")"
  echo "--ServiceNode:Bgp:LocalAddress=$(node_addr "$1")"
  echo "--ServiceNode:Bgp:HoldTime=00:00:09"
  for rr in "${RRS[@]}"; do echo "--ServiceNode:Bgp:Peers:$i=$(node_addr "$rr")"; i=$((i + 1)); done
  echo "--ServiceNode:Bgp:Evpn:GraceTime=00:00:30"
}

start_vxsnd() { # sn1|sn2: a cluster node: control on its own address plus a socket on the anycast, data plane on every address
  local n=$1
  local bgp=()
  mapfile -t bgp < <(vxsnd_bgp_args "$n")
  start_daemon "$n" "${VXSND[@]}" --config "$ROOT/deploy/config/vxsnd.json" "${bgp[@]}" \
    "--ServiceNode:ControlAddress=$(node_addr "$n")" "--ServiceNode:DataPlane:Address=$WILDCARD" \
    "--ServiceNode:Cluster:AnycastAddress=$ANYCAST" "--ServiceNode:Cluster:InstallAnycast=true" \
    "--ServiceNode:Cluster:Peers:0=$(node_addr "${SN_PEER[$n]}")" \
    "--ServiceNode:Cluster:SyncTimeout=$SN_SYNC_TIMEOUT" "--ServiceNode:Cluster:KeepaliveInterval=$SN_KEEPALIVE" \
    "--ServiceNode:ManagementSocket=/run/$P-$n.sock" "--ServiceNode:Authentication:KeyFile=$KEYS" \
    "--ServiceNode:Registry:StaticEntriesFile=$STATE/$n-static-entries" \
    "--ServiceNode:Metrics:Endpoint=http://127.0.0.1:$VXSND_METRICS_PORT"
}

sn_http() { # sn1|sn2 path -> the HTTP response (status line, headers, body) of that namespace's vxsnd, empty when none answers
  # Plain bash /dev/tcp: curl is not needed on the machine. Each namespace has its own loopback.
  nsx "$1" timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$VXSND_METRICS_PORT && printf 'GET $2 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && cat <&3" 2>/dev/null | tr -d '\r' || true
}
sn_metrics() { sn_http "$1" /metrics; }
sn_is_ready() { sn_http "$1" /readyz | head -n1 | grep -q ' 200 '; }

metric_sum() { # name metrics-text -> the sum of that metric over all its series (0 when absent)
  awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%d", s }' <<<"$2"
}

anycast_on_lo() { nsx "$1" ip $FAMILY addr show dev lo 2>/dev/null | grep -qF " $ANYCAST/"; }

# wait_sn_ready sn1|sn2 seconds: until ready (/readyz) with the anycast on its loopback, as the
# fabric needs it. Sets T_SN_READY[node] to when vxsnd installed the anycast (the timestamp of its
# log event 2330), or to now when the log does not say.
wait_sn_ready() {
  local n=$1 deadline=$(( $(now_us) + $2 * 1000000 )) at
  until sn_is_ready "$n" && anycast_on_lo "$n"; do
    kill -0 "${DAEMON_PID[$n]}" 2>/dev/null || return 1
    [ "$(now_us)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
  at=$(grep -F 'AnycastService[2330]' "$STATE/$n.log" | tail -n1 | awk '{ print $1 }')
  at=$([ -n "$at" ] && date -d "$at" +%s%6N 2>/dev/null || true)
  T_SN_READY[$n]=${at:-$(now_us)}
}

EXPECTED_ENTRIES=0 # (VNI, VTEP) registrations the registry of every node must hold
for v in "${ALL_VTEPS[@]}"; do for vni in ${VTEP_VNIS[$v]}; do EXPECTED_ENTRIES=$((EXPECTED_ENTRIES + 1)); done; done

declare -A T_SN=() T_SN_READY=()
if [ "$STANDIN" = 1 ]; then
  if [ "$MODE" = snr ]; then
    members=()
    for vni in 100 200; do
      list=""
      for v in "${VTEPS[@]}"; do
        if [[ " ${VTEP_VNIS[$v]} " == *" $vni "* ]]; then list+="${list:+,}$(node_addr "$v")"; fi
      done
      members+=("$vni=$list")
    done
    start_daemon sn1 /usr/bin/python3 -u "$ROOT/deploy/lab/standin-replicator.py" "$ANYCAST" 4789 "${members[@]}"
  fi
  for v in "${VTEPS[@]}"; do
    for vni in ${VTEP_VNIS[$v]}; do
      for dst in $(expected_fdb "$v" "$vni"); do
        nsx "$v" bridge fdb append 00:00:00:00:00:00 dev "vxlan$vni" dst "$dst"
      done
    done
  done
else
  # sn1 starts alone: its start-up sync finds no peer and gives up after SyncTimeout. The VTEPs
  # start once it is ready, and sn2 once sn1 holds every registration (in the convergence loop
  # below), so sn2's start-up sync copies the whole table and nothing registers in between.
  [ "$EVPN" = 1 ] && start_evpn_fabric
  T_SN[sn1]=$(now_us)
  start_vxsnd sn1
  wait_sn_ready sn1 30 || true
  rd_mode=$([ "$MODE" = her ] && echo HeadEnd || echo ServiceNode)
  for v in "${VTEPS[@]}"; do
    start_daemon "$v" "${VXRD[@]}" --config "$ROOT/deploy/config/vxrd.json" \
      "--RegistrationDaemon:Mode=$rd_mode" "--RegistrationDaemon:ServiceNode=$ANYCAST" \
      "--RegistrationDaemon:HoldTime=$VXRD_HOLD" \
      "--RegistrationDaemon:ManagementSocket=/run/$P-$v.sock" "--RegistrationDaemon:Authentication:KeyFile=$KEYS" \
      "--RegistrationDaemon:Metrics:Endpoint=http://127.0.0.1:$VXRD_METRICS_PORT"
  done
fi
T_START=$(now_us)

declare -A SUSPECT=()
show_logs() { # marks daemons whose log tails the report prints once, at its end
  local n
  for n in "$@"; do SUSPECT[$n]=1; done
}
print_suspect_logs() {
  local n
  for n in "${SNS[@]}" "${VTEPS[@]}" "${RRS[@]}" "${EVTEPS[@]}"; do
    [ -n "${SUSPECT[$n]:-}" ] || continue
    for f in "$STATE/$n.log" "$(frr_dir "$n")/bgpd.log" "$(frr_dir "$n")/zebra.log"; do
      [ -f "$f" ] || continue
      log "---- last lines of $n's log ($f)"
      tail -n 25 "$f" | sed 's/^/    /'
    done
  done
}

dead_daemons() {
  local n
  for n in "${!DAEMON_PID[@]}"; do kill -0 "${DAEMON_PID[$n]}" 2>/dev/null || echo "$n"; done
}

start_sn2_once_sn1_is_full() { # no-op unless sn2 is due: daemons run, sn2 not started, sn1 holds every registration
  [ "$STANDIN" = 0 ] && [ -z "${T_SN[sn2]:-}" ] || return 0
  [ "$(metric_sum vxsnd_registry_entries "$(sn_metrics sn1)")" -ge "$EXPECTED_ENTRIES" ] || return 0
  T_SN[sn2]=$(now_us)
  start_vxsnd sn2
}

# ---- convergence: poll pairs until all answer, within a deadline ------------------------------
host_field() { local e; for e in "${HOSTS[@]}"; do [ "${e%%:*}" = "$1" ] && { echo "$e" | cut -d: -f"$2"; return; }; done; }
PAIRS=()
for a in "${HOSTS[@]}"; do
  for b in "${HOSTS[@]}"; do
    IFS=: read -r ha _ va _ <<<"$a"; IFS=: read -r hb _ vb _ <<<"$b"
    [ "$va" = "$vb" ] && [[ "$ha" < "$hb" ]] && PAIRS+=("$ha-$hb")
  done
done

# await_pairs TAG T_REF DEADLINE_S EVERY_ITERATION PAIR...: pings each pending pair once per round
# until all answered or DEADLINE_S after T_REF (microseconds) passed. Sets PENDING (pairs still
# silent), T_DONE (when the last one answered, empty if not) and EARLY (why it stopped early).
await_pairs() {
  local tag=$1 t_ref=$2 deadline_s=$3 every=$4 pair a b still pids
  shift 4
  mkdir -p "$STATE/ok-$tag"
  PENDING=("$@") T_DONE="" EARLY=""
  while :; do
    pids=()
    for pair in "${PENDING[@]}"; do
      a=${pair%-*} b=${pair#*-}
      ( nsx "$a" ping -c1 -W1 -q "$(host_field "$b" 4)" >/dev/null 2>&1 && touch "$STATE/ok-$tag/$pair" ) &
      pids+=($!)
    done
    wait "${pids[@]}" 2>/dev/null || true
    still=()
    for pair in "${PENDING[@]}"; do [ -e "$STATE/ok-$tag/$pair" ] || still+=("$pair"); done
    PENDING=("${still[@]}")
    $every
    if [ ${#PENDING[@]} -eq 0 ]; then T_DONE=$(now_us); return; fi
    dead=$(dead_daemons)
    [ -n "$dead" ] && { EARLY="daemon(s) exited: $(echo $dead)"; return; }
    [ $(( ($(now_us) - t_ref) / 1000000 )) -ge "$deadline_s" ] && return
    sleep 0.2
  done
}

CONVERGE_DEADLINE_S=${LAB_CONVERGE_TIMEOUT:-30}
await_pairs converge "$T_START" "$CONVERGE_DEADLINE_S" start_sn2_once_sn1_is_full "${PAIRS[@]}"
pending=("${PENDING[@]}") T_ALL=$T_DONE

# ---- checks and report ------------------------------------------------------------------------
FAILS=()
fail() { FAILS+=("$1"); }
ms() { printf '%d.%03d' $(($1 / 1000000)) $(($1 / 1000 % 1000)); } # microseconds -> seconds

log ""
log "================ Replicator lab report ================"
log "mode $MODE ($([ "$MODE" = her ] && echo 'head-end replication: each VTEP copies BUM frames to its peers' || echo 'service-node replication: VTEPs send BUM frames to the anycast service node')), underlay $UNDERLAY, service node anycast $ANYCAST"
[ "$STANDIN" = 1 ] && log "STAND-IN (developer mode): no daemon ran; the default FDB entries were programmed by hand$([ "$MODE" = snr ] && echo ' and a Python stand-in replicated for the service node')"

log ""
log "Connectivity (every host pair of a VNI, ping from the first to the second)"
pids=()
for pair in "${PAIRS[@]}"; do
  a=${pair%-*} b=${pair#*-}
  ( nsx "$a" ping -c3 -i0.2 -W1 -q "$(host_field "$b" 4)" >"$STATE/ping.$pair" 2>&1 ) &
  pids+=($!)
done
wait "${pids[@]}" 2>/dev/null || true
for pair in "${PAIRS[@]}"; do
  a=${pair%-*} b=${pair#*-}
  rtt=$(sed -n 's|^rtt [^=]*= [^/]*/\([^/]*\)/.*|\1|p' "$STATE/ping.$pair")
  received=$(sed -n 's/.* \([0-9]\+\) received.*/\1/p' "$STATE/ping.$pair")
  label=$(printf '%-3s (%s, VNI %s) -> %-3s (%s, %s)' "$a" "$(host_field "$a" 2)" "$(host_field "$a" 3)" "$b" "$(host_field "$b" 2)" "$(host_field "$b" 4)")
  if [ "${received:-0}" -gt 0 ]; then
    log "  ok    $label  ${received}/3 replies, avg rtt ${rtt:-?} ms"
  else
    log "  FAIL  $label  no reply"
    fail "ping $a -> $b"
  fi
done
if [ -n "$T_ALL" ]; then
  log "  all ${#PAIRS[@]} pairs answered $(ms $((T_ALL - T_START))) s after $([ "$STANDIN" = 1 ] && echo 'the FDB was programmed' || echo 'vxrd started on the VTEPs (sn1 was ready)')"
else
  if [ -n "$EARLY" ]; then
    log "  FAIL  stopped waiting for connectivity after $(ms $(($(now_us) - T_START))) s: $EARLY"
    fail "convergence ($EARLY)"
  else
    log "  FAIL  not every pair answered within ${CONVERGE_DEADLINE_S} s (still silent: ${pending[*]})"
    fail "convergence within ${CONVERGE_DEADLINE_S} s"
  fi
fi

log ""
log "Isolation (no VNI 200 host may reach a VNI 100 host; same subnet on purpose)"
pids=()
iso=()
for a in "${HOSTS[@]}"; do
  IFS=: read -r ha _ va _ <<<"$a"
  [ "$va" = 200 ] || continue
  for b in "${HOSTS[@]}"; do
    IFS=: read -r hb _ vb addr <<<"$b"
    [ "$vb" = 100 ] || continue
    iso+=("$ha-$hb")
    ( nsx "$ha" ping -c2 -i0.3 -W1 -q "$addr" >/dev/null 2>&1 && touch "$STATE/leak.$ha-$hb" ) &
    pids+=($!)
  done
done
wait "${pids[@]}" 2>/dev/null || true
leaks=()
for pair in "${iso[@]}"; do [ -e "$STATE/leak.$pair" ] && leaks+=("${pair%-*} -> ${pair#*-}"); done
if [ ${#leaks[@]} -eq 0 ]; then
  log "  ok    ${#iso[@]} probes from VNI 200 to VNI 100 hosts, none answered"
else
  for l in "${leaks[@]}"; do log "  FAIL  $l answered across VNIs"; done
  fail "isolation (${#leaks[@]} leaks)"
fi

log ""
log "Default FDB entries (00:00:00:00:00:00) per VTEP, expected: $([ "$MODE" = her ] && echo 'every other VTEP of the VNI' || echo 'the service node anycast')"
for v in "${VTEPS[@]}"; do
  for vni in ${VTEP_VNIS[$v]}; do
    actual=$(nsx "$v" bridge fdb show dev "vxlan$vni" | awk '$1 == "00:00:00:00:00:00" { for (i = 2; i < NF; i++) if ($i == "dst") print $(i + 1) }' | sort)
    expected=$(expected_fdb "$v" "$vni")
    label=$(printf '%-5s vxlan%s (local %s):' "$v" "$vni" "$(node_addr "$v")")
    if [ "$actual" = "$expected" ]; then
      log "  ok    $label dst $(echo $actual | sed 's/ /, /g')"
    else
      log "  FAIL  $label dst $(echo ${actual:-none} | sed 's/ /, /g'); expected $(echo $expected | sed 's/ /, /g')"
      fail "FDB of $v vxlan$vni"
      show_logs "$v"
    fi
  done
done

log ""
log "Learned MACs: each VTEP must have learned every remote host behind that host's own VTEP$([ "$MODE" = snr ] && echo ',
  not behind the service node (replicated copies keep the original outer source address)')"
for v in "${VTEPS[@]}"; do
  for vni in ${VTEP_VNIS[$v]}; do
    fdb=$(nsx "$v" bridge fdb show dev "vxlan$vni")
    line="" bad=0
    for e in "${HOSTS[@]}"; do
      IFS=: read -r h hv hvni _ <<<"$e"
      if [ "$hvni" != "$vni" ] || [ "$hv" = "$v" ]; then continue; fi
      mac=$(nsx "$h" cat /sys/class/net/eth0/address)
      behind=$(awk -v m="$mac" '$1 == m { for (i = 2; i < NF; i++) if ($i == "dst") print $(i + 1) }' <<<"$fdb" | head -n1)
      if [ "$behind" = "$(node_addr "$hv")" ]; then
        line+=" $h@$hv"
      else
        line+=" $h@${behind:-unknown}(expected $hv)" bad=1
      fi
    done
    if [ "$bad" = 0 ]; then log "  ok    $v vxlan$vni:$line"; else log "  FAIL  $v vxlan$vni:$line"; fail "learned MACs on $v vxlan$vni"; fi
  done
done

if [ "$STANDIN" = 1 ] && [ "$MODE" = snr ]; then
  log ""
  log "Replication counters (stand-in replicator)"
  counts=$(grep '^received' "$STATE/sn1.log" | tail -n1 || true)
  log "    ${counts:-nothing received}"
  if [ "$(awk '{ print $4 }' <<<"${counts:-x x x 0}")" -le 0 ] 2>/dev/null; then fail "stand-in replicator sent no copies"; show_logs sn1; fi
fi

# Management commands are separate dotnet processes (a few hundred ms each): run them in parallel.
cli_bg() { # file command...: runs it in the background, output to file, exit code to file.rc
  local f=$1; shift
  ( set +e; "$@" >"$f" 2>&1; echo $? >"$f.rc" ) & # set +e: the exit code must reach the .rc file
  CLI_PIDS+=($!)
}
cli_wait() { wait "${CLI_PIDS[@]}" 2>/dev/null || true; CLI_PIDS=(); }
cli_ok() { [ "$(cat "$1.rc" 2>/dev/null)" = 0 ]; }
indent() { sed 's/^/    /' "$@"; }

check_registry() { # node file (vxsnd fdb output) label: every (VNI, VTEP) pair must be in it
  local n=$1 f=$2 v vni missing=()
  if ! cli_ok "$f"; then
    log "  FAIL  $n: vxsnd fdb failed"
    fail "vxsnd fdb on $n$3"
    show_logs "$n"
    return
  fi
  for v in "${ALL_VTEPS[@]}"; do
    for vni in ${VTEP_VNIS[$v]}; do
      # A row holds the VNI and the address as whole words.
      awk -v vni="$vni" -v a="$(node_addr "$v")" '{ f = 0; g = 0; for (i = 1; i <= NF; i++) { if ($i == vni) f = 1; if ($i == a) g = 1 } if (f && g) found = 1 } END { exit !found }' "$f" ||
        missing+=("$v/VNI$vni")
    done
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "  ok    $n holds all $EXPECTED_ENTRIES registrations (VNI, VTEP)$3"
  else
    log "  FAIL  $n lacks ${missing[*]}$3"
    fail "registry of $n lacks ${missing[*]}$3"
    show_logs "$n"
  fi
}

CLI_PIDS=()
if [ "$STANDIN" = 0 ]; then
  log ""
  log "Service node cluster (anycast $ANYCAST, routed to sn1 by the underlay; each node lists the other in Peers)"
  if [ -n "${T_SN_READY[sn1]:-}" ]; then
    log "  ok    sn1 ready $(ms $((T_SN_READY[sn1] - T_SN[sn1]))) s after its start (alone: its start-up sync gave up on sn2 after SyncTimeout $SN_SYNC_TIMEOUT); then the VTEPs' vxrd started"
  else
    log "  FAIL  sn1 not ready (/readyz and the anycast on its loopback) within 30 s"
    fail "sn1 not ready"
    show_logs sn1
  fi
  if [ -z "${T_SN[sn2]:-}" ]; then
    log "        sn1 never held all $EXPECTED_ENTRIES registrations during the convergence wait; sn2 starts now"
    T_SN[sn2]=$(now_us)
    start_vxsnd sn2
  fi
  if wait_sn_ready sn2 30; then
    log "  ok    sn2 started once sn1 held all $EXPECTED_ENTRIES registrations $(ms $((T_SN[sn2] - T_START))) s after vxrd started; ready $(ms $((T_SN_READY[sn2] - T_SN[sn2]))) s later (start-up sync from sn1)"
  else
    log "  FAIL  sn2 not ready (/readyz and the anycast on its loopback) within 30 s"
    fail "sn2 not ready"
    show_logs sn2
  fi

  for n in "${SNS[@]}"; do
    cli_bg "$STATE/fdb.$n" "${VXSND[@]}" fdb --socket "/run/$P-$n.sock"
    cli_bg "$STATE/status.$n" "${VXSND[@]}" status --socket "/run/$P-$n.sock"
  done
  for v in "${VTEPS[@]}"; do cli_bg "$STATE/peers.$v" "${VXRD[@]}" peers --socket "/run/$P-$v.sock"; done
  # Neither Authentication:KeyFile (emptied over the example config's) nor AllowUnauthenticated: must not start.
  cli_bg "$STATE/unauthenticated" nsx vtep1 timeout 30 "${VXRD[@]}" --config "$ROOT/deploy/config/vxrd.json" \
    "--RegistrationDaemon:Authentication:KeyFile=" "--RegistrationDaemon:ManagementSocket=/run/$P-unauthenticated.sock" \
    "--RegistrationDaemon:Metrics:Endpoint="
  cli_wait
  for n in "${SNS[@]}"; do
    log ""
    log "Service node registry of $n (vxsnd fdb --socket /run/$P-$n.sock)$([ "$n" = sn2 ] && echo ': every VTEP registered with sn1, copied by start-up sync or relay')"
    indent "$STATE/fdb.$n"
    check_registry "$n" "$STATE/fdb.$n" ""
  done
  for n in "${SNS[@]}"; do
    log ""
    log "Service node status of $n (vxsnd status --socket /run/$P-$n.sock)"
    indent "$STATE/status.$n"
    cli_ok "$STATE/status.$n" || { fail "vxsnd status on $n"; show_logs "$n"; }
  done

  log ""
  log "Authentication (one key file from 'vxsnd keygen' for every daemon)"
  for n in "${SNS[@]}"; do
    if grep -Eq '^authentication +on ' "$STATE/status.$n" && [ "$(metric_sum vxsnd_authentication_enabled "$(sn_metrics "$n")")" = 1 ]; then
      log "  ok    $n: status 'authentication on', vxsnd_authentication_enabled 1"
    else
      log "  FAIL  $n: not authenticated (status and vxsnd_authentication_enabled)"
      fail "authentication on $n"
    fi
  done
  lines=$(wc -l <"$STATE/unauthenticated")
  if [ "$(cat "$STATE/unauthenticated.rc")" = 1 ] && [ "$lines" = 1 ] && grep -q 'RegistrationDaemon:Authentication:AllowUnauthenticated' "$STATE/unauthenticated" &&
    ! grep -q '^ *at ' "$STATE/unauthenticated"; then
    log "  ok    vxrd without Authentication:KeyFile and AllowUnauthenticated refused to start: exit 1, one line:"
    indent "$STATE/unauthenticated"
  else
    log "  FAIL  vxrd without Authentication:KeyFile and AllowUnauthenticated: exit $(cat "$STATE/unauthenticated.rc"), $lines lines (expected exit 1, one line):"
    indent "$STATE/unauthenticated" | head -n 5
    fail "vxrd started without a key file"
  fi

  log ""
  log "Peers as each VTEP sees them (vxrd peers --socket /run/$P-vtepN.sock)"
  for v in "${VTEPS[@]}"; do
    log "  $v:"
    indent "$STATE/peers.$v"
    cli_ok "$STATE/peers.$v" || { fail "vxrd peers on $v"; show_logs "$v"; }
  done

  log ""
  log "Replication counters of sn1, which got the traffic (vxsnd /metrics on 127.0.0.1:$VXSND_METRICS_PORT inside sn1)"
  metrics=$(sn_metrics sn1)
  counters=$(grep -E '^vxsnd_(datagrams_received|copies_sent|send_errors|datagrams_dropped)_total' <<<"$metrics" || true)
  if [ -n "$counters" ]; then
    indent <<<"$counters"
    if [ "$MODE" = snr ] && [ "$(metric_sum vxsnd_copies_sent_total "$counters")" -le 0 ]; then
      log "  FAIL  service-node mode but vxsnd sent no copies"
      fail "replication counters"
      show_logs sn1
    fi
  else
    log "  FAIL  no vxsnd_* counters at http://127.0.0.1:$VXSND_METRICS_PORT/metrics in sn1"
    fail "metrics endpoint"
    show_logs sn1
  fi
  dead=$(dead_daemons)
  if [ -n "$dead" ]; then
    for n in $dead; do log "  FAIL  daemon $n is not running"; fail "daemon $n exited"; show_logs "$n"; done
  fi
fi
if [ -z "$T_ALL" ]; then show_logs "${SNS[@]}" "${VTEPS[@]}"; fi

# ---- the EVPN fabric (--evpn): sessions on every side, flood entries on every VTEP ------------
flood_entries() { # node vni -> the destinations of its all-zero FDB entries, sorted
  nsx "$1" bridge fdb show dev "vxlan$2" 2>/dev/null | awk '$1 == "00:00:00:00:00:00" && / dst / { for (i = 1; i < NF; i++) if ($i == "dst") print $(i + 1) }' | sort -u
}
if [ "$EVPN" = 1 ]; then
  log ""
  log "EVPN fabric (AS $BGP_AS; FRR route reflector rrf $(node_addr rrf), GoBGP route reflector rrg $(node_addr rrg))"
  for n in "${SNS[@]}"; do cli_bg "$STATE/bgp.$n" "${VXSND[@]}" bgp --socket "/run/$P-$n.sock"; done
  cli_wait
  for n in "${SNS[@]}"; do
    log "  BGP sessions of $n's vxsnd (vxsnd bgp --socket /run/$P-$n.sock):"
    indent "$STATE/bgp.$n"
    established=$(grep -ci 'established' "$STATE/bgp.$n" || true)
    if cli_ok "$STATE/bgp.$n" && [ "$established" -ge "${#RRS[@]}" ]; then
      log "  ok    $n: established with both route reflectors"
    else
      log "  FAIL  $n: $established of ${#RRS[@]} sessions established"
      fail "BGP sessions of $n"
      show_logs "$n"
    fi
  done
  log "  The FRR route reflector (vtysh -c 'show bgp l2vpn evpn summary' in rrf):"
  { vty rrf 'show bgp l2vpn evpn summary' 2>&1 | sed -n '/^Neighbor/,/^$/p' || true; } | indent
  log "  The GoBGP route reflector (gobgp neighbor in rrg):"
  { gobgp neighbor 2>&1 || true; } | indent
  clients=()
  for n in "${SNS[@]}" "${EVTEPS[@]}"; do clients+=("$(node_addr "$n")"); done
  frr_up=$(vty rrf 'show bgp l2vpn evpn summary json' 2>/dev/null | python3 -c '
import json, sys
peers = json.load(sys.stdin).get("peers", {})
print(" ".join(sorted(a for a, p in peers.items() if p.get("state") == "Established")))' 2>/dev/null || true)
  gobgp_up=$(gobgp neighbor -j 2>/dev/null | python3 -c '
import json, sys
print(" ".join(sorted(n["conf"]["neighbor_address"] for n in json.load(sys.stdin)
                      if str(n.get("state", {}).get("session_state", "")).lower() in ("established", "6"))))' 2>/dev/null || true)
  for rr in rrf rrg; do
    up=$([ "$rr" = rrf ] && echo "$frr_up" || echo "$gobgp_up") missing=()
    for c in "${clients[@]}"; do [[ " $up " == *" $c "* ]] || missing+=("$c"); done
    if [ ${#missing[@]} -eq 0 ]; then
      log "  ok    $rr: sessions established with every client (${clients[*]})"
    else
      log "  FAIL  $rr: no session with ${missing[*]}"
      fail "$rr sessions"
      show_logs "$rr"
    fi
  done
  log "  Flood entries (bridge fdb show dev vxlanVNI: 00:00:00:00:00:00 dst ...) on every VTEP:"
  for v in "${ALL_VTEPS[@]}"; do
    for vni in ${VTEP_VNIS[$v]}; do
      have=$(flood_entries "$v" "$vni" | xargs)
      if [[ " ${EVTEPS[*]} " == *" $v "* ]] || [ "$MODE" = her ]; then
        want=$(for o in "${ALL_VTEPS[@]}"; do if [ "$o" != "$v" ] && [[ " ${VTEP_VNIS[$o]} " == *" $vni "* ]]; then node_addr "$o"; fi; done | sort -u | xargs)
      else
        want=$ANYCAST # snr: a Replicator VTEP floods to the service node, which copies to everyone
      fi
      who=$([[ " ${EVTEPS[*]} " == *" $v "* ]] && echo "FRR VTEP" || echo "vxrd VTEP")
      if [ "$have" = "$want" ]; then
        log "  ok    $v ($who, VNI $vni): $have"
      else
        log "  FAIL  $v ($who, VNI $vni): '$have', expected '$want'"
        fail "flood entries of $v VNI $vni"
        show_logs "$v"
      fi
    done
  done
fi

# ---- failover: sn1 dies, the fabric moves the anycast to sn2 ----------------------------------
log ""
log "Failover (sn1 killed, anycast routed to sn2)"
if [ "$STANDIN" = 1 ]; then
  log "  skipped: --standin runs no service-node cluster"
else
  FAIL_AT_FAILOVER=${#FAILS[@]}
  copies_before=$(metric_sum vxsnd_copies_sent_total "$(sn_metrics sn2)")
  T_KILL=$(now_us)
  kill -KILL "${DAEMON_PID[sn1]}" 2>/dev/null || true
  wait "${DAEMON_PID[sn1]}" 2>/dev/null || true
  unset 'DAEMON_PID[sn1]'
  left=$(ip netns pids "$(ns sn1)" 2>/dev/null || true)
  [ -n "$left" ] && { log "        (killing what else ran in sn1: $(echo $left))"; kill -KILL $left 2>/dev/null || true; }
  # What the fabric does once sn1 stops announcing: a killed vxsnd cannot remove its anycast
  # address, but a dead host (or a dead routing daemon) withdraws the route all the same.
  nsx underlay ip $FAMILY route replace "$ANYCAST/$ANYCAST_PLEN" via "$(node_addr sn2)"
  log "        sn1's vxsnd killed (SIGKILL); the underlay routes $ANYCAST/$ANYCAST_PLEN via sn2 ($(node_addr sn2)) now"
  # Forget every neighbour, so each pair's first packet is a broadcast ARP request again: BUM
  # traffic, copied by the VTEP kernels (her) or by sn2 (snr).
  FO_PAIRS=()
  for pair in "${PAIRS[@]}"; do [ "$(host_field "${pair%-*}" 3)" = 100 ] && FO_PAIRS+=("$pair"); done
  for e in "${HOSTS[@]}"; do
    IFS=: read -r h _ vni _ <<<"$e"
    [ "$vni" = 100 ] && nsx "$h" ip neigh flush all
  done
  await_pairs failover "$T_KILL" "$FAILOVER_BOUND_S" : "${FO_PAIRS[@]}"
  if [ -n "$T_DONE" ]; then
    log "  ok    all ${#FO_PAIRS[@]} VNI 100 pairs answered again $(ms $((T_DONE - T_KILL))) s after sn1 was killed (bound ${FAILOVER_BOUND_S} s; neighbour caches flushed first)"
  elif [ -n "$EARLY" ]; then
    log "  FAIL  stopped waiting after $(ms $(($(now_us) - T_KILL))) s: $EARLY"
    fail "failover ($EARLY)"
  else
    log "  FAIL  not every VNI 100 pair answered within ${FAILOVER_BOUND_S} s of sn1's death (still silent: ${PENDING[*]})"
    fail "failover within ${FAILOVER_BOUND_S} s"
    show_logs sn2 "${VTEPS[@]}"
  fi

  # Every vxrd's next refresh reaches sn2, which answers from the anycast address; vxrd accepts
  # only that. Its last contact must therefore come after sn1's death: sn2 serves the VTEPs'
  # control plane, not only their traffic.
  heard=() T_HEARD="" T_LOOP=$(now_us)
  while :; do
    since=$(( ($(now_us) - T_KILL) / 1000 )) # taken before asking: a contact younger than this came after the kill
    for v in "${VTEPS[@]}"; do
      [[ " ${heard[*]} " == *" $v "* ]] || cli_bg "$STATE/contact.$v" "${VXRD[@]}" status --json --socket "/run/$P-$v.sock"
    done
    cli_wait
    for v in "${VTEPS[@]}"; do
      [[ " ${heard[*]} " == *" $v "* ]] && continue
      age=$(sed -n 's/.*"lastContactAgeSeconds": *\([0-9.]*\).*/\1/p' "$STATE/contact.$v" 2>/dev/null)
      [ -n "$age" ] && awk -v a="$age" -v s="$since" 'BEGIN { exit !(a * 1000 < s) }' && heard+=("$v")
    done
    [ ${#heard[@]} -eq ${#VTEPS[@]} ] && { T_HEARD=$(now_us); break; }
    # Counted from this loop's start: the pair check before it may itself have taken seconds.
    [ $(( ($(now_us) - T_LOOP) / 1000000 )) -ge $((VXRD_REFRESH_S + 7)) ] && break
    sleep 0.3
  done
  if [ -n "$T_HEARD" ]; then
    log "  ok    every vxrd heard from the service node (sn2, through the anycast) after sn1 died, the last $(ms $((T_HEARD - T_KILL))) s after the kill (refresh every ${VXRD_REFRESH_S} s or less)"
  else
    log "  FAIL  not every vxrd heard from sn2 within $((VXRD_REFRESH_S + 7)) s of the pair check (heard: ${heard[*]:-none})"
    fail "vxrd did not reach sn2 after the failover"
    show_logs sn2 "${VTEPS[@]}"
  fi

  cli_bg "$STATE/fdb.sn2.failover" "${VXSND[@]}" fdb --socket "/run/$P-sn2.sock"
  cli_bg "$STATE/status.sn2.failover" "${VXSND[@]}" status --socket "/run/$P-sn2.sock"
  if [ "$MODE" = her ]; then
    for v in "${VTEPS[@]}"; do cli_bg "$STATE/status.$v.failover" "${VXRD[@]}" status --socket "/run/$P-$v.sock"; done
  fi
  cli_wait
  check_registry sn2 "$STATE/fdb.sn2.failover" " after the failover (nothing lost)"
  if [ "$MODE" = snr ]; then
    copies_after=$(metric_sum vxsnd_copies_sent_total "$(sn_metrics sn2)")
    if [ "$copies_after" -gt "$copies_before" ]; then
      log "  ok    sn2 replicated the broadcasts: vxsnd_copies_sent_total $copies_before before the failover, $copies_after after"
    else
      log "  FAIL  sn2 sent no copies after the failover (vxsnd_copies_sent_total $copies_before before, $copies_after after)"
      fail "sn2 did not replicate after the failover"
      show_logs sn2
    fi
  else
    # HER traffic never touches the service node; what matters is that the VTEPs keep their peers.
    for v in "${VTEPS[@]}"; do
      reach=$(awk '$1 == "reachable" { $1 = ""; sub(/^ +/, ""); print }' "$STATE/status.$v.failover")
      entries=$(nsx "$v" bridge fdb show | awk '$1 == "00:00:00:00:00:00" && / dst / { n++ } END { printf "%d", n }')
      want=0
      for vni in ${VTEP_VNIS[$v]}; do want=$((want + $(expected_fdb "$v" "$vni" | wc -l))); done
      if cli_ok "$STATE/status.$v.failover" && [ "$reach" = yes ] && [ "$entries" = "$want" ]; then
        log "  ok    $v: vxrd status says the service node is reachable; all $want peer entries kept"
      else
        log "  FAIL  $v: vxrd status reachable '${reach:-?}', $entries of $want peer entries"
        fail "$v after the failover"
        show_logs "$v"
      fi
    done
  fi
  log "  sn2's view of the cluster (vxsnd status --socket /run/$P-sn2.sock) $(ms $(($(now_us) - T_KILL))) s after sn1 died"
  log "  (a silent peer counts as unreachable once 3 keepalive intervals of $SN_KEEPALIVE passed):"
  sed -n '/^CLUSTER/,$p' "$STATE/status.sn2.failover" | indent
  if [ "$FAIL_AT_FAILOVER" = "${#FAILS[@]}" ]; then
    log "  FAILOVER: PASS (mode $MODE: ${#FO_PAIRS[@]} pairs answered again $(ms $((T_DONE - T_KILL))) s after sn1 was killed; every vxrd heard from sn2 within $(ms $((T_HEARD - T_KILL))) s; sn2 held every registration)"
  else
    log "  FAILOVER: FAIL"
  fi

  if [ "$KEEP" = 1 ]; then
    # The kept lab should run both nodes: sn1 comes back, pulls the table from sn2, installs the
    # anycast once ready, and the fabric (preferring sn1) routes the anycast to it again.
    log ""
    log "Recovery for --keep (sn1 restarted, anycast routed back to sn1)"
    mv "$STATE/sn1.log" "$STATE/sn1-killed.log"
    T_SN[sn1]=$(now_us)
    start_vxsnd sn1
    if wait_sn_ready sn1 30; then
      nsx underlay ip $FAMILY route replace "$ANYCAST/$ANYCAST_PLEN" via "$(node_addr sn1)"
      held=$(metric_sum vxsnd_registry_entries "$(sn_metrics sn1)")
      if [ "$held" -ge "$EXPECTED_ENTRIES" ]; then
        log "  ok    sn1 ready $(ms $((T_SN_READY[sn1] - T_SN[sn1]))) s after its restart, holding $held registrations (start-up sync from sn2); the underlay routes $ANYCAST via sn1 again"
      else
        log "  FAIL  sn1 restarted but holds $held of $EXPECTED_ENTRIES registrations"
        fail "sn1 after its restart"
        show_logs sn1
      fi
    else
      log "  FAIL  sn1 not ready within 30 s of its restart"
      fail "sn1 restart"
      show_logs sn1
    fi
  fi
fi

if [ ${#FAILS[@]} -gt 0 ] && [ ${#SUSPECT[@]} -gt 0 ]; then
  log ""
  print_suspect_logs
fi

log ""
if [ ${#FAILS[@]} -eq 0 ]; then
  log "RESULT: PASS (mode $MODE, underlay $UNDERLAY; run took $(ms $(( $(now_us) - T_SETUP ))) s after the build)"
  rc=0
else
  log "RESULT: FAIL: $(printf '%s; ' "${FAILS[@]}" | sed 's/; $//')"
  log "logs: $STATE"
  rc=1
fi

if [ "$KEEP" = 1 ]; then
  TORN=1 # leave it running
  [ -n "$WATCHDOG" ] && { kill $(ps -o pid= --ppid "$WATCHDOG" 2>/dev/null) "$WATCHDOG" 2>/dev/null || true; WATCHDOG=""; }
  prefix_env=$([ "$P" != rlab ] && echo "LAB_PREFIX=$P " || true)
  cat <<EOF

The lab keeps running (--keep). Explore it:
  ip netns list | grep '^$P-'
  ip netns exec $P-h1 ping $(host_field h3 4)           (h1 behind vtep1 to h3 behind vtep3, VNI 100)
  ip netns exec $P-h5 ping $(host_field h1 4)           (VNI 200 to VNI 100: must fail)
  ip netns exec $P-vtep1 bridge fdb show dev vxlan100   (default entries and learned MACs)
  ip netns exec $P-underlay tshark -i to-vtep1 -d udp.port==4789,vxlan   (the underlay)
EOF
  if [ "$STANDIN" = 0 ]; then
    cat <<EOF
  ${VXSND[*]#$ROOT/} fdb --socket /run/$P-sn1.sock      (or /run/$P-sn2.sock)
  ${VXSND[*]#$ROOT/} status --socket /run/$P-sn2.sock   (the cluster: peers, last sync)
  ${VXRD[*]#$ROOT/} peers --socket /run/$P-vtep1.sock
  ip netns exec $P-sn1 curl -s 127.0.0.1:$VXSND_METRICS_PORT/metrics | grep vxsnd_copies_sent_total
  ip netns exec $P-underlay ip route replace $ANYCAST via $(node_addr sn2)   (fail over to sn2 by hand)
  logs: $STATE/*.log
EOF
  fi
  if [ "$EVPN" = 1 ]; then
    cat <<EOF
  ${VXSND[*]#$ROOT/} bgp --socket /run/$P-sn1.sock      (vxsnd's BGP sessions)
  ip netns exec $P-rrf vtysh -N $P-rrf --config_dir $(frr_dir rrf) -c 'show bgp l2vpn evpn'
  ip netns exec $P-rrg gobgp -p $GOBGP_API global rib -a evpn
  ip netns exec $P-evtep1 vtysh -N $P-evtep1 --config_dir $(frr_dir evtep1) -c 'show evpn vni'
  ip netns exec $P-h7 ping $(host_field h1 4)           (h7 behind FRR VTEP evtep1 to h1 behind vtep1, VNI 100)
EOF
  fi
  log "Stop it: ${prefix_env}deploy/lab/lab.sh down"
fi
exit $rc
