#!/usr/bin/env bash
# Builds the Debian packages vxsnd and vxrd from this checkout (docs/install.md).
#
#   deploy/package/build.sh [--arch amd64|arm64] [--out DIR] [--no-lintian] [--binaries DIR]
#
#   --binaries DIR  package DIR/vxsnd and DIR/vxrd, published before, instead of publishing
#
# Publishes both daemons (see publish() below: the one place that says how), then assembles each
# package with dpkg-deb: the binary in /usr/sbin, the unit from deploy/systemd/ in
# /usr/lib/systemd/system, the configuration from deploy/systemd/*.json in /etc/replicator (a
# conffile whose addresses are emptied, so the daemon refuses to start until the operator sets
# them), the man page generated with pandoc from docs/man/, copyright and changelog, maintainer
# scripts from deploy/package/debian/. Then runs lintian, which must report no error.
# Installs what it needs with apt when missing (dpkg-dev, lintian, pandoc, python3; clang and
# zlib1g-dev for Native AOT).
# Output: DIR (default artifacts/packages/) gets vxsnd_<version>_<arch>.deb and vxrd_..., and
# prints their paths last, one a line. The version comes from 'git describe --tags --always --dirty'.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/deploy/package
ARCH=amd64 OUT=$ROOT/artifacts/packages LINTIAN=1 BINARIES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH=${2:-}; shift 2 ;;
    --out) OUT=${2:-}; shift 2 ;;
    --no-lintian) LINTIAN=0; shift ;;
    --binaries) BINARIES=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -E/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$ARCH" in
  amd64) RID=linux-x64 ;;
  arm64) RID=linux-arm64 ;;
  *) echo "build.sh: --arch must be amd64 or arm64, not '$ARCH'" >&2; exit 2 ;;
esac

# How the daemons are built: Native AOT by default (one native executable, no .NET runtime on the
# host, ~16 MB; docs/install.md "Native AOT binaries" has the figures). PublishAot needs clang and
# zlib1g-dev (installed below), and cross-compiling to arm64 a matching sysroot and linker.
# PUBLISH_MODE=single-file is the fallback: the self-contained single-file JIT build. It is also
# the default for a foreign --arch, which Native AOT cannot cross-compile without that toolchain.
HOST_ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
if [ "$ARCH" = "$HOST_ARCH" ]; then PUBLISH_MODE=${PUBLISH_MODE:-aot}; else PUBLISH_MODE=${PUBLISH_MODE:-single-file}; fi
publish() { # project-dir output-dir
  local mode
  case "$PUBLISH_MODE" in
    single-file) mode=(--self-contained -p:PublishAot=false -p:PublishSingleFile=true) ;;
    aot) mode=(-p:PublishAot=true) ;;
    *) echo "build.sh: PUBLISH_MODE must be single-file or aot, not '$PUBLISH_MODE'" >&2; exit 2 ;;
  esac
  dotnet publish "$ROOT/$1" -c Release -r "$RID" "${mode[@]}" -o "$2" -nologo -clp:ErrorsOnly -v:q >&2
}

# ---- tools --------------------------------------------------------------------------------------
need=(dpkg-dev pandoc python3)
[ "$LINTIAN" = 1 ] && need+=(lintian)
[ "$PUBLISH_MODE" = aot ] && [ -z "$BINARIES" ] && need+=(clang zlib1g-dev)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "build.sh: the .NET 10 SDK is required (https://dot.net)" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# ---- version ------------------------------------------------------------------------------------
# A tag v1.2.3 (or 1.2.3) gives 1.2.3, 1.2.3+git<N>.<sha> after N more commits; no tag gives
# 0.0~git<commit time>.<sha>, so later commits sort higher. A dirty tree adds +dirty. The Debian
# revision is always -1 (the packaging lives with the code; nothing is patched).
describe=$(git -C "$ROOT" describe --tags --always --dirty)
sha=$(git -C "$ROOT" rev-parse --short=7 HEAD)
dirty=""; [[ "$describe" == *-dirty ]] && { dirty=+dirty; describe=${describe%-dirty}; }
# (A tag must look like a version, N.N...: a bare abbreviated hash may start with a digit too.)
if [[ "$describe" =~ ^v?([0-9]+\.[0-9][0-9A-Za-z.~+]*)-([0-9]+)-g([0-9a-f]+)$ ]]; then
  VERSION="${BASH_REMATCH[1]}+git${BASH_REMATCH[2]}.${BASH_REMATCH[3]}"
elif [[ "$describe" =~ ^v?([0-9]+\.[0-9][0-9A-Za-z.~+]*)$ ]]; then
  VERSION=${BASH_REMATCH[1]}
else
  VERSION="0.0~git$(TZ=UTC git -C "$ROOT" log -1 --format=%cd --date=format-local:%Y%m%d%H%M%S).$sha"
fi
VERSION=$VERSION$dirty-1
DATE_R=$(git -C "$ROOT" log -1 --format=%cD)

# ---- publish ------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/replicator-pkg.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
if [ -n "$BINARIES" ]; then
  for d in vxsnd vxrd; do install -D -m 0755 "$BINARIES/$d" "$WORK/publish/$d/$d"; done
else
  echo "build.sh: publishing vxsnd and vxrd ($PUBLISH_MODE, $RID, version $VERSION)" >&2
  publish ServiceNode/ServiceNode.csproj "$WORK/publish/vxsnd"
  publish RegistrationDaemon/RegistrationDaemon.csproj "$WORK/publish/vxrd"
fi

# ---- packages -----------------------------------------------------------------------------------
# example-config daemon src dst: the repository's example with its addresses emptied (and
# ServiceNode:DataPlane:Address dropped, so it follows ControlAddress), under a comment saying what to set. Any key
# of that name at any depth is emptied, so the transformation follows main's layout of sections.
example_config() {
  python3 - "$@" <<'PY'
import json, sys
daemon, src, dst = sys.argv[1:4]
blank = {"vxsnd": ("ControlAddress",), "vxrd": ("ServiceNode",)}[daemon]
drop = ("ServiceNode:DataPlane:Address",)
emptied = []
def walk(node, path):
    if isinstance(node, dict):
        for k in list(node):
            if path + k in drop and isinstance(node[k], str):
                del node[k]
            elif k in blank and isinstance(node[k], str):
                node[k] = ""
                emptied.append(path + k)
            else:
                walk(node[k], path + k + ":")
config = json.load(open(src))
walk(config, "")
if not emptied:
    sys.exit(f"build.sh: {src}: found none of {blank} to empty; the package's example would start as-is")
head = {
    "vxsnd": ["vxsnd configuration: see vxsnd(8); every key is in the project's docs/configuration.md.",
              "Set " + " and ".join(emptied) + " to this node's address (0.0.0.0 or :: for any),",
              "then: systemctl enable --now vxsnd. Until then vxsnd refuses to start and says why.",
              "DataPlane:Address (the data plane's) defaults to ControlAddress."],
    "vxrd": ["vxrd configuration: see vxrd(8); every key is in the project's docs/configuration.md.",
             "Set " + " and ".join(emptied) + " to the service node's (anycast) address,",
             "then: systemctl enable --now vxrd. Until then vxrd refuses to start and says why."],
}[daemon]
head.append("The key file /etc/replicator/keys was written at install; every vxsnd and vxrd needs the same one.")
with open(dst, "w") as f:
    f.write("".join(f"// {line}\n" for line in head))
    json.dump(config, f, indent=2)
    f.write("\n")
PY
}

build_package() { # vxsnd|vxrd
  local pkg=$1 root=$WORK/$1 desc
  case "$pkg" in
    vxsnd) desc="Replicator VXLAN service node
 vxsnd keeps the soft-state registry of VXLAN tunnel endpoints per VNI,
 distributes peer lists to the registration daemons (vxrd) and replicates
 broadcast, unknown-unicast and multicast VXLAN datagrams itself, keeping
 the original sender's address. Several vxsnd form a cluster behind one
 anycast address. Install it on dedicated servers." ;;
    vxrd) desc="Replicator VXLAN registration daemon
 vxrd runs on every VXLAN tunnel endpoint (VTEP): it discovers the kernel's
 VXLAN devices over rtnetlink, registers their VNIs with the Replicator
 service node (vxsnd) and programs the kernel's default-destination FDB
 entries (head-end or service-node replication)." ;;
  esac
  install -d -m 0755 "$root/DEBIAN" "$root/usr/sbin" "$root/usr/lib/systemd/system" "$root/etc/replicator" \
    "$root/usr/share/man/man8" "$root/usr/share/doc/$pkg"
  install -m 0755 "$WORK/publish/$pkg/$pkg" "$root/usr/sbin/$pkg"
  install -m 0644 "$ROOT/deploy/systemd/$pkg.service" "$root/usr/lib/systemd/system/$pkg.service"
  grep -q "^ExecStart=/usr/sbin/$pkg " "$root/usr/lib/systemd/system/$pkg.service" ||
    { echo "build.sh: deploy/systemd/$pkg.service: ExecStart must be /usr/sbin/$pkg" >&2; exit 1; }
  example_config "$pkg" "$ROOT/deploy/systemd/$pkg.json" "$root/etc/replicator/$pkg.json"
  chmod 0644 "$root/etc/replicator/$pkg.json"
  if [ "$pkg" = vxsnd ]; then install -d -m 0755 "$root/var/lib/vxsnd"; fi
  pandoc -s -t man "$ROOT/docs/man/$pkg.8.md" -M date="$(date -u -d "$DATE_R" +%Y-%m-%d)" -M footer="Replicator $VERSION" |
    gzip -9n > "$root/usr/share/man/man8/$pkg.8.gz"
  sed "s/@PKG@/$pkg/g" "$HERE/debian/copyright" > "$root/usr/share/doc/$pkg/copyright"
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from git %s.\n\n -- %s  %s\n' \
    "$pkg" "$VERSION" "$(git -C "$ROOT" describe --tags --always --dirty)" "$MAINTAINER" "$DATE_R" |
    gzip -9n > "$root/usr/share/doc/$pkg/changelog.Debian.gz"
  chmod 0644 "$root/usr/share/doc/$pkg/"* "$root/usr/share/man/man8/"*
  # Native AOT or single file (--binaries may be either): only the single-file host needs libstdc++.
  local native=1
  readelf -d "$root/usr/sbin/$pkg" | grep -q 'NEEDED.*libstdc++' && native=0
  install -d -m 0755 "$root/usr/share/lintian/overrides"
  # The embedded zlib is the single-file host's; a Native AOT binary has none lintian finds.
  sed "s/@PKG@/$pkg/g" "$HERE/debian/lintian-overrides" | { if [ "$native" = 1 ]; then grep -v 'embedded-library zlib'; else cat; fi; } \
    > "$root/usr/share/lintian/overrides/$pkg"
  chmod 0644 "$root/usr/share/lintian/overrides/$pkg"

  for s in postinst prerm postrm; do
    sed "s/@PKG@/$pkg/g" "$HERE/debian/$s" > "$root/DEBIAN/$s"
    chmod 0755 "$root/DEBIAN/$s"
  done
  echo "/etc/replicator/$pkg.json" > "$root/DEBIAN/conffiles"
  (cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
  {
    echo "Package: $pkg"
    echo "Version: $VERSION"
    echo "Architecture: $ARCH"
    echo "Maintainer: $MAINTAINER"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
    # The Native AOT binary links libc and libm only, the single-file host also libgcc and
    # libstdc++; both dlopen() libssl for the HMAC of the control messages. ICU is not needed
    # (invariant globalization).
    if [ "$native" = 1 ]; then
      echo "Depends: libc6 (>= 2.27), libssl3 | libssl3t64"
    else
      echo "Depends: libc6 (>= 2.27), libgcc-s1, libstdc++6, libssl3 | libssl3t64"
    fi
    echo "Section: net"
    echo "Priority: optional"
    echo "Description: $desc"
  } > "$root/DEBIAN/control"
  chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
  mkdir -p "$OUT"
  local deb=$OUT/${pkg}_${VERSION}_$ARCH.deb
  rm -f "$OUT/${pkg}_"*"_$ARCH.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
  DEBS+=("$deb")
}

MAINTAINER=${DEB_MAINTAINER:-$(git -C "$ROOT" log -1 --format='%an <%ae>')}
DEBS=()
build_package vxsnd
build_package vxrd

if [ "$LINTIAN" = 1 ]; then
  echo "build.sh: lintian" >&2
  # No error allowed; warnings we cannot fix are overridden in the packages with their reasons
  # (deploy/package/debian/lintian-overrides) and listed in docs/install.md.
  lintian --fail-on error "${DEBS[@]}" >&2
fi
printf '%s\n' "${DEBS[@]}"
