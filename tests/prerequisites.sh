#!/usr/bin/env bash
# Installs what the tests and the lab need on a fresh Debian machine, quietly and idempotently.
set -euo pipefail
packages=(iproute2 iputils-ping tshark python3-msgpack python3-prometheus-client prometheus procps curl gcc libc6-dev linux-libc-dev frr gobgpd tcpdump)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The EVPN tests and the lab run their own FRR instances in namespaces; the packaged service
  # (zebra and friends in the host's namespace) is not wanted.
  if [[ " ${missing[*]} " == *" frr "* ]] && command -v systemctl >/dev/null; then systemctl disable --now frr >/dev/null 2>&1 || true; fi
fi
# PREREQUISITES_NO_DOTNET=1: the lab on installed packages (lab.sh --installed) needs no SDK.
[ "${PREREQUISITES_NO_DOTNET:-0}" = 1 ] || command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (https://dot.net)" >&2; exit 1; }
