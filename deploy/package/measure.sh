#!/usr/bin/env bash
# JIT vs Native AOT, side by side in one run (docs/install.md, "Native AOT binaries").
#
#   deploy/package/measure.sh [--aot DIR] [--runs N] [--seconds S] [--out FILE]
#
#   --aot DIR    use DIR/vxsnd and DIR/vxrd, published before, instead of publishing them AOT
#   --runs N     runs per start-up and data-plane figure, median reported (default 3)
#   --seconds S  data-plane measuring window per run (default 2)
#
# Publishes vxsnd and vxrd three ways: framework-dependent (the JIT build, run as 'dotnet X.dll'),
# self-contained single-file (the JIT package's binary, for its size) and Native AOT. Then, for
# JIT and AOT: binary size; time from exec to READY=1 on a NOTIFY_SOCKET this script listens on;
# RSS (VmRSS, and its anonymous part RssAnon) and threads 10 s after READY; vxrd with one VXLAN
# device, vxsnd with the packaged configuration's defaults (addresses set, a key file). Then vxsnd's data plane: the daemon itself
# (one worker, static entries for VNI 100) fed over a veth pair by the C generator of
# tests/Benchmarks/Replication at more than it can replicate; copies/s from the ifb sink's counters, CPU-ns per copy from the
# daemon's utime+stime over the same window, at fan-out 8 and 64 (64 B inner frames).
# Needs root, gcc, iproute2 and python3. Namespaces are named rpl-aotm-<pid>-*, use only
# documentation addresses (192.0.2.0/24, 203.0.113.0/24) and are deleted on exit.
# Prints a markdown table on stdout (and to FILE with --out); progress on stderr.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AOT="" RUNS=3 SECONDS_=2 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) AOT=${2:-}; shift 2 ;;
    --runs) RUNS=${2:-}; shift 2 ;;
    --seconds) SECONDS_=${2:-}; shift 2 ;;
    --out) OUT=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -E/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "measure.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "measure.sh: needs root (network namespaces, raw sockets)" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpl-aotm.XXXXXX")
PREFIX=rpl-aotm-$$
cleanup() {
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX-" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

publish() { # project output-dir extra-args...
  local project=$1 out=$2; shift 2
  dotnet publish "$ROOT/$project" -c Release -r linux-x64 -o "$out" -nologo -clp:ErrorsOnly -v:q "$@" >&2
}
echo "measure.sh: publishing (framework-dependent JIT, single-file JIT, Native AOT)" >&2
publish ServiceNode/ServiceNode.csproj "$WORK/jit/vxsnd" -p:PublishAot=false --self-contained false
publish RegistrationDaemon/RegistrationDaemon.csproj "$WORK/jit/vxrd" -p:PublishAot=false --self-contained false
publish ServiceNode/ServiceNode.csproj "$WORK/single" -p:PublishAot=false --self-contained -p:PublishSingleFile=true
publish RegistrationDaemon/RegistrationDaemon.csproj "$WORK/single" -p:PublishAot=false --self-contained -p:PublishSingleFile=true
if [ -z "$AOT" ]; then
  AOT=$WORK/aot
  publish ServiceNode/ServiceNode.csproj "$AOT" -p:PublishAot=true
  publish RegistrationDaemon/RegistrationDaemon.csproj "$AOT" -p:PublishAot=true
fi
gcc -O2 -o "$WORK/reference" "$ROOT/tests/Benchmarks/Replication/reference.c"

python3 - "$ROOT" "$WORK" "$AOT" "$PREFIX" "$RUNS" "$SECONDS_" <<'PY' | tee ${OUT:+"$OUT"}
import json, os, socket, statistics, subprocess, sys, time
root, work, aot, prefix, runs, seconds = sys.argv[1:7]
runs, seconds = int(runs), float(seconds)
TICK = os.sysconf("SC_CLK_TCK")

def log(*a): print("measure.sh:", *a, file=sys.stderr, flush=True)
def sh(*args, check=True): return subprocess.run(args, check=check, capture_output=True, text=True).stdout
def ns_sh(ns, *args, check=True): return sh("ip", "netns", "exec", ns, *args, check=check)

def namespace(name, setup):
    ns = f"{prefix}-{name}"
    sh("ip", "netns", "add", ns)
    ns_sh(ns, "ip", "link", "set", "lo", "up")
    for cmd in setup: ns_sh(ns, *cmd.split())
    return ns

keys = f"{work}/keys"
sh(f"{aot}/vxsnd", "keygen", keys)

def command(impl, daemon):
    return ["dotnet", f"{work}/jit/{daemon}/{daemon}.dll"] if impl == "jit" else [f"{aot}/{daemon}"]

def config(daemon, tag, extra=None):
    state = f"{work}/state-{tag}"
    os.makedirs(state, exist_ok=True)
    if daemon == "vxsnd":
        c = {"ServiceNode": {"Authentication": {"KeyFile": keys}, "ControlAddress": "192.0.2.1",
             "ManagementSocket": f"{state}/vxsnd.sock",
             "Registry": {"StaticEntriesFile": f"{state}/static-entries"},
             "Metrics": {"Endpoint": "127.0.0.1:9501"}}}
        if extra: c["ServiceNode"].update(extra)
    else:
        c = {"RegistrationDaemon": {"Authentication": {"KeyFile": keys}, "ServiceNode": "192.0.2.1",
             "ManagementSocket": f"{state}/vxrd.sock", "Metrics": {"Endpoint": "127.0.0.1:9502"}}}
    path = f"{state}/{daemon}.json"
    with open(path, "w") as f: json.dump(c, f)
    return path, state

def start(ns, impl, daemon, cfg):
    """Starts the daemon with a NOTIFY_SOCKET; returns (process, seconds from exec to READY=1)."""
    path = f"{work}/notify-{time.monotonic_ns()}"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(30)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    # 'ip netns exec' execs the daemon in place: the pid is the daemon's, and its exec is t0
    # (the namespace switch, a few ms, is in both JIT and AOT figures alike).
    t0 = time.monotonic()
    p = subprocess.Popen(["ip", "netns", "exec", ns, *command(impl, daemon), "--config", cfg],
                         env=env, stdout=subprocess.DEVNULL, stderr=open(f"{work}/{daemon}-{impl}.log", "a"))
    try:
        while True:
            msg = s.recv(4096).decode()
            if "READY=1" in msg.split("\n"): break
        return p, time.monotonic() - t0
    except socket.timeout:
        p.kill()
        sys.stderr.write(open(f"{work}/{daemon}-{impl}.log").read()[-3000:])
        raise SystemExit(f"{daemon} ({impl}) sent no READY=1 within 30 s (its log above)")
    finally:
        s.close(); os.unlink(path)

def stop(p):
    p.terminate()
    try: p.wait(10)
    except subprocess.TimeoutExpired: p.kill(); p.wait()

def status(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":"); fields[k] = v.strip()
    kib = lambda k: int(fields[k].split()[0]) / 1024
    return (kib("VmRSS"), kib("RssAnon")), int(fields["Threads"])

def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK  # utime + stime

def size_mib(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(path) for n in ns) / 2**20
    return os.path.getsize(path) / 2**20

results = {}
ns_snd = namespace("snd", ["ip addr add 192.0.2.1/32 dev lo"])
ns_rd = namespace("rd", ["ip addr add 192.0.2.11/32 dev lo",
                         "ip link add vx100 type vxlan id 100 local 192.0.2.11 dstport 4789 nolearning",
                         "ip link set vx100 up"])
for daemon, ns in (("vxsnd", ns_snd), ("vxrd", ns_rd)):
    for impl in ("jit", "aot"):
        ready = []
        for r in range(runs):
            cfg, _ = config(daemon, f"{daemon}-{impl}-{r}")
            p, t = start(ns, impl, daemon, cfg)
            ready.append(t)
            if r == runs - 1:
                time.sleep(10)
                rss, threads = status(p.pid)
            stop(p)
        results[(daemon, impl)] = dict(ready_ms=statistics.median(ready) * 1000, rss=rss, threads=threads)
        log(f"{daemon} {impl}: ready {[round(x * 1000) for x in ready]} ms, {rss[0]:.1f} MiB ({rss[1]:.1f} anonymous), {threads} threads")

# ---- data plane ---------------------------------------------------------------------------------
# The generator sits in its own namespace behind a veth pair: vxsnd drops datagrams whose source
# is one of its own addresses, so it cannot share the daemon's namespace (the in-process benchmark
# of tests/Benchmarks has no such check in its way).
ns_dp = namespace("dp", ["ip link add ifb0 type ifb", "ip link set ifb0 txqueuelen 10000 up",
                         "ip route add 203.0.113.0/24 dev ifb0"])
ns_gen = namespace("gen", [])
sh("ip", "link", "add", "rplaotm0", "netns", ns_dp, "type", "veth", "peer", "name", "rplaotm1", "netns", ns_gen)
ns_sh(ns_dp, "ip", "addr", "add", "192.0.2.1/24", "dev", "rplaotm0")
ns_sh(ns_dp, "ip", "link", "set", "rplaotm0", "up")
ns_sh(ns_gen, "ip", "addr", "add", "192.0.2.2/24", "dev", "rplaotm1")
ns_sh(ns_gen, "ip", "link", "set", "rplaotm1", "up")
ns_sh(ns_dp, "tc", "qdisc", "replace", "dev", "ifb0", "root", "noqueue", check=False)

def sunk():
    for line in ns_sh(ns_dp, "cat", "/proc/net/dev").splitlines():
        name, _, rest = line.partition(":")
        if name.strip() == "ifb0":
            f = rest.split(); return int(f[3]) + int(f[9])  # receive drop + transmit packets
    raise SystemExit("no ifb0")

dp = {}
for fanout in (8, 64):
    for impl in ("jit", "aot"):
        copies, cpu_ns = [], []
        for r in range(runs):
            cfg, state = config("vxsnd", f"dp-{impl}-{fanout}-{r}",
                                {"DataPlane": {"Address": "192.0.2.1", "Port": 4789, "Workers": 1}})
            with open(f"{state}/static-entries", "w") as f:
                f.write("100 192.0.2.2\n" + "".join(f"100 203.0.113.{i}\n" for i in range(1, fanout + 1)))
            p, _ = start(ns_dp, impl, "vxsnd", cfg)
            gen = subprocess.Popen(["ip", "netns", "exec", ns_gen, f"{work}/reference", "generate", "192.0.2.2",
                                    "192.0.2.1", "4789", "64", str(3_000_000 / fanout), "8", "100"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(1.0)  # warm-up (JIT tiering, caches, neighbour entries)
                n0, c0, t0 = sunk(), cpu_seconds(p.pid), time.monotonic()
                time.sleep(seconds)
                n1, c1, t1 = sunk(), cpu_seconds(p.pid), time.monotonic()
            finally:
                gen.kill(); gen.wait(); stop(p)
            copies.append((n1 - n0) / (t1 - t0))
            cpu_ns.append((c1 - c0) * 1e9 / max(n1 - n0, 1))
        dp[(fanout, impl)] = (statistics.median(copies), statistics.median(cpu_ns))
        log(f"data plane fan-out {fanout} {impl}: {[round(c / 1e3) for c in copies]} k copies/s, {[round(c) for c in cpu_ns]} CPU-ns/copy")

load = open("/proc/loadavg").read().split()[0]
print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores (load average {load} at the end), "
      f"median of {runs} runs; data plane: 1 worker, 64 B inner frames, {seconds:g} s windows.\n")
print("| | JIT (`dotnet vxsnd.dll`, `dotnet vxrd.dll`) | Native AOT | AOT / JIT |")
print("|---|--:|--:|--:|")
def row(name, j, a, fmt):
    print(f"| {name} | {fmt.format(j)} | {fmt.format(a)} | {a / j:.2f}x |")
for d in ("vxsnd", "vxrd"):
    fd, sf, na = size_mib(f"{work}/jit/{d}"), size_mib(f"{work}/single/{d}"), size_mib(f"{aot}/{d}")
    print(f"| {d} binary size | {sf:.1f} MiB single file (publish folder {fd:.1f} MiB + .NET runtime) | {na:.1f} MiB | {na / sf:.2f}x |")
for d in ("vxsnd", "vxrd"):
    j, a = results[(d, "jit")], results[(d, "aot")]
    row(f"{d} exec to READY=1", j["ready_ms"], a["ready_ms"], "{:.0f} ms")
    row(f"{d} RSS 10 s after READY", j["rss"][0], a["rss"][0], "{:.1f} MiB")
    row(f"{d} of it anonymous (RssAnon; the rest is clean, shared file pages)", j["rss"][1], a["rss"][1], "{:.1f} MiB")
    row(f"{d} threads 10 s after READY", j["threads"], a["threads"], "{}")
for fanout in (8, 64):
    (jc, jn), (ac, an) = dp[(fanout, "jit")], dp[(fanout, "aot")]
    row(f"vxsnd data plane, fan-out {fanout}: copies/s", jc / 1e6, ac / 1e6, "{:.3f} M")
    row(f"vxsnd data plane, fan-out {fanout}: CPU-ns per copy", jn, an, "{:.0f}")
PY
