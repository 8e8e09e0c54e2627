#!/usr/bin/env bash
# Installs the Debian 12 packages Portcullis needs to build (and, with
# --test, to run every test and benchmark). Idempotent: when everything is
# already installed it touches nothing. Needs root.
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config
  libmilter-dev liblua5.4-dev prometheus-cpp-dev libldns-dev libssl-dev
  liblmdb-dev libhiredis-dev libhyperscan-dev
  libpcre2-dev  # the benchmarks' baseline for content rules (bench/content)
  publicsuffix  # the Public Suffix List DMARC reads at run time
  libgtest-dev libgmock-dev libbenchmark-dev
)
test_packages=(
  postfix swaks miltertest python3 curl procps iproute2 redis-server
  prometheus  # prometheus and promtool for the metrics tests; see below
)

packages=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The tests run their own private Postfix instances; the system one must not
# listen on public interfaces, so configure it as local-only if it is new.
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string portcullis.invalid" | debconf-set-selections
apt-get update -qq
# --no-install-recommends also keeps prometheus-node-exporter (0.0.0.0:9100)
# off the machine.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The tests start their own Prometheus on loopback; the packaged service
# would listen on 0.0.0.0:9090.
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
echo "install-deps: installed ${missing[*]}"
