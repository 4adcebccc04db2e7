#!/usr/bin/env bash
# The install test (docs/testing.md): installs the built vxsnd and vxrd packages on this machine,
# checks what they installed, runs the lab against the installed binaries with no .NET runtime
# reachable, purges them and checks that nothing is left behind.
#
#   deploy/package/install-test.sh [--debs DIR]
#
#   --debs DIR   take vxsnd_*.deb and vxrd_*.deb from DIR instead of running build.sh
#
# Steps: record the files under the roots the packages touch; dpkg -i both; check the files,
# modes, conffiles and the key file postinst wrote; systemd-analyze verify the installed units;
# check that each installed example configuration refuses to start with one line naming the
# address to set; run 'deploy/lab/lab.sh --installed' in a mount namespace where the .NET
# installation is hidden (an empty tmpfs over it) and DOTNET_ROOT points nowhere; dpkg --purge
# both; compare the file list with the first one. Any difference fails the test.
# Safe on a CI machine: it refuses to run when vxsnd or vxrd is already known to dpkg or their
# binaries or /etc/replicator exist, moves an existing /var/lib/vxsnd or /var/lib/vxrd aside and
# puts it back, never starts the units under systemd (the packages do not either), touches no
# other package, and purges what it installed on every exit (trap), failed runs included.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEBS_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --debs) DEBS_DIR=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -E/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-test.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then echo "install-test.sh: needs root (dpkg -i, network namespaces)" >&2; exit 1; fi

PKGS=(vxsnd vxrd)
start=$(date +%s)
log() { printf 'install-test: %s\n' "$*"; }
FAILS=()
fail() { FAILS+=("$1"); log "FAIL: $1"; }

# The roots the packages write to; for shared ones only the Replicator names count.
snapshot() {
  {
    find /etc/replicator /var/lib/vxsnd /var/lib/vxrd /usr/lib/systemd/system /usr/share/man/man8 \
      /usr/share/lintian/overrides /usr/sbin -printf '%p %M\n' 2>/dev/null || true
    find /usr/share/doc /var/lib/dpkg/info /etc/systemd/system /var/lib/systemd \
      \( -name 'vxsnd*' -o -name 'vxrd*' -o -name 'replicator*' \) -printf '%p %M\n' 2>/dev/null || true
  } | sort
}

known_to_dpkg() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -qv '^[up]n'; }

for p in "${PKGS[@]}"; do
  if known_to_dpkg "$p" || [ -e "/usr/sbin/$p" ]; then
    echo "install-test.sh: $p is already installed here (or its files exist): not touching it" >&2
    exit 1
  fi
done
if [ -e /etc/replicator ]; then echo "install-test.sh: /etc/replicator exists: not touching it" >&2; exit 1; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/replicator-install-test.XXXXXX")
# A vxsnd started outside the package without StaticEntriesFile (a test, a lab, a developer)
# writes /var/lib/vxsnd/static-entries, the default; purge removes /var/lib/vxsnd. So such
# directories are moved aside for the test and put back on exit.
SAVED=$WORK/saved-state
restore_state_dirs() {
  local d
  for d in "$SAVED"/*; do
    [ -e "$d" ] || continue
    if [ -e "/var/lib/${d##*/}" ]; then cp -a -n "$d/." "/var/lib/${d##*/}/"; else mv "$d" "/var/lib/${d##*/}"; fi
    log "put back /var/lib/${d##*/} (it existed before the test)"
  done
  rm -rf "$SAVED"
}
INSTALLED=0
exec 3>&1 4>&2 # the script's own output: a signal may arrive while a redirected command runs
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  exec 1>&3 2>&4
  if [ "$INSTALLED" = 1 ]; then
    log "purging ${PKGS[*]}"
    dpkg_locked --purge "${PKGS[@]}" >"$WORK/purge-on-exit.log" 2>&1 || cat "$WORK/purge-on-exit.log" >&2
  fi
  ip netns del "itest-$$" 2>/dev/null || true
  restore_state_dirs
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# dpkg refuses to run while another dpkg or apt holds the lock: wait for it (at most 5 minutes).
dpkg_locked() {
  local i out
  for i in $(seq 1 150); do
    if out=$(dpkg "$@" 2>&1); then printf '%s\n' "$out"; return 0; fi
    grep -q 'lock' <<<"$out" || { printf '%s\n' "$out" >&2; return 1; }
    sleep 2
  done
  printf '%s\n' "$out" >&2
  return 1
}

# ---- the packages -------------------------------------------------------------------------------
if [ -z "$DEBS_DIR" ]; then
  log "building the packages (deploy/package/build.sh)"
  DEBS_DIR=$WORK/debs
  "$ROOT/deploy/package/build.sh" --out "$DEBS_DIR" >/dev/null
fi
DEBS=()
for p in "${PKGS[@]}"; do
  f=$(ls -t "$DEBS_DIR/${p}_"*.deb 2>/dev/null | head -n1)
  [ -n "$f" ] || { echo "install-test.sh: no ${p}_*.deb in $DEBS_DIR" >&2; exit 1; }
  DEBS+=("$f")
done

mkdir -p "$SAVED"
for p in "${PKGS[@]}"; do
  if [ -e "/var/lib/$p" ]; then log "moving /var/lib/$p aside for the test"; mv "/var/lib/$p" "$SAVED/$p"; fi
done

BEFORE=$WORK/files.before
snapshot > "$BEFORE"

# ---- install ------------------------------------------------------------------------------------
log "dpkg -i ${DEBS[*]##*/}"
INSTALLED=1
dpkg_locked -i "${DEBS[@]}" > "$WORK/install.log" || { cat "$WORK/install.log" >&2; fail "dpkg -i"; exit 1; }
sed 's/^/    /' "$WORK/install.log" | grep -E 'wrote|Setting up' || true

expect_mode() { # path mode
  local m
  m=$(stat -c '%a' "$1" 2>/dev/null) || { fail "$1 missing"; return; }
  [ "$m" = "$2" ] || fail "$1 has mode $m, not $2"
}
for p in "${PKGS[@]}"; do
  expect_mode "/usr/sbin/$p" 755
  expect_mode "/usr/lib/systemd/system/$p.service" 644
  expect_mode "/etc/replicator/$p.json" 644
  expect_mode "/usr/share/man/man8/$p.8.gz" 644
  expect_mode "/usr/share/doc/$p/copyright" 644
  [ "$(dpkg-query -W -f='${Conffiles}' "$p" | awk 'NF {print $1}')" = "/etc/replicator/$p.json" ] ||
    fail "$p: the conffile is not /etc/replicator/$p.json"
  man -l "/usr/share/man/man8/$p.8.gz" 2>/dev/null | grep -q "^SYNOPSIS" || fail "man $p: no SYNOPSIS"
  if command -v systemctl >/dev/null && systemctl is-enabled "$p.service" 2>/dev/null | grep -q '^enabled'; then
    fail "$p.service is enabled after install"
  fi
done
expect_mode /etc/replicator/keys 600
expect_mode /var/lib/vxsnd 755

# systemd-analyze verify works without systemd as PID 1; it also checks that ExecStart's binary
# exists and that the Documentation= man pages resolve.
if command -v systemd-analyze >/dev/null; then
  for p in "${PKGS[@]}"; do
    if out=$(systemd-analyze verify "/usr/lib/systemd/system/$p.service" 2>&1) && [ -z "$out" ]; then
      log "systemd-analyze verify $p.service: clean"
    else
      fail "systemd-analyze verify $p.service: $out"
    fi
  done
else
  log "systemd-analyze absent: units not verified"
fi

# ---- no .NET anywhere ---------------------------------------------------------------------------
# The daemons and the lab run in a mount namespace where the .NET installation is an empty tmpfs
# (so /usr/bin/dotnet dangles), with DOTNET_ROOT pointing nowhere.
DOTNET_DIRS=()
for d in /usr/share/dotnet /usr/lib/dotnet /opt/dotnet "$HOME/.dotnet"; do [ -d "$d" ] && DOTNET_DIRS+=("$d"); done
if command -v dotnet >/dev/null; then
  d=$(dirname "$(readlink -f "$(command -v dotnet)")")
  [[ " ${DOTNET_DIRS[*]} " == *" $d "* ]] || DOTNET_DIRS+=("$d")
fi
without_dotnet() { # command...: runs it with the .NET installation hidden
  local hide="" d
  for d in "${DOTNET_DIRS[@]}"; do hide+="mount -t tmpfs -o size=1m,mode=0755 none '$d' && "; done
  unshare --mount --propagation private -- env DOTNET_ROOT=/nonexistent DOTNET_ROOT_X64=/nonexistent \
    bash -c "${hide}! command -v dotnet >/dev/null && exec \"\$@\"" without-dotnet "$@"
}

# Each installed example must refuse to start, with one line naming the address to set.
ip netns add "itest-$$"
for p in "${PKGS[@]}"; do
  key=ControlAddress; [ "$p" = vxrd ] && key=ServiceNode
  rc=0
  without_dotnet ip netns exec "itest-$$" timeout 30 "/usr/sbin/$p" --config "/etc/replicator/$p.json" \
    >"$WORK/$p.out" 2>"$WORK/$p.err" || rc=$?
  lines=$(grep -c . "$WORK/$p.err" || true)
  if [ "$rc" = 1 ] && [ "$lines" = 1 ] && grep -q ":$key" "$WORK/$p.err"; then
    log "$p with the installed example refuses to start: $(cat "$WORK/$p.err")"
  else
    fail "$p with /etc/replicator/$p.json: exit $rc, $lines lines on stderr (want 1, naming $key): $(head -c 600 "$WORK/$p.err")"
  fi
done
ip netns del "itest-$$"

# ---- the lab on the installed binaries ----------------------------------------------------------
log "deploy/lab/lab.sh --installed (no .NET reachable: ${DOTNET_DIRS[*]:-none} hidden, DOTNET_ROOT=/nonexistent)"
if without_dotnet env LAB_PREFIX="itest$$" "$ROOT/deploy/lab/lab.sh" --installed > "$WORK/lab.log" 2>&1; then
  log "lab --installed: $(grep -E "RESULT|FAILOVER:" "$WORK/lab.log" | sed "s/^ *//" | paste -sd";" -)"
else
  sed 's/^/    /' "$WORK/lab.log" | tail -n 60 >&2
  fail "lab.sh --installed"
fi

# ---- purge --------------------------------------------------------------------------------------
# vxrd first: the shared key file must outlive it while vxsnd is installed, then go with vxsnd.
log "dpkg --purge vxrd, then vxsnd"
dpkg_locked --purge vxrd > "$WORK/purge.log" || { cat "$WORK/purge.log" >&2; fail "dpkg --purge vxrd"; }
[ -f /etc/replicator/keys ] || fail "purging vxrd removed /etc/replicator/keys while vxsnd is installed"
[ -e /etc/replicator/vxrd.json ] && fail "purging vxrd left /etc/replicator/vxrd.json"
dpkg_locked --purge vxsnd >> "$WORK/purge.log" || { cat "$WORK/purge.log" >&2; fail "dpkg --purge vxsnd"; }
INSTALLED=0
for p in "${PKGS[@]}"; do known_to_dpkg "$p" && fail "$p still known to dpkg after purge"; done
AFTER=$WORK/files.after
snapshot > "$AFTER"
if ! diff -u "$BEFORE" "$AFTER" > "$WORK/files.diff"; then
  sed 's/^/    /' "$WORK/files.diff" >&2
  fail "the files after purge differ from before install"
else
  log "after purge: the same $(wc -l < "$AFTER") files and directories under the packages' roots as before"
fi

log "finished in $(( $(date +%s) - start )) s"
if [ ${#FAILS[@]} -gt 0 ]; then
  log "${#FAILS[@]} failure(s):"; printf '  - %s\n' "${FAILS[@]}"
  exit 1
fi
log "passed"
