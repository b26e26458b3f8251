#!/usr/bin/env bash
# Installs, with apt-get and only when missing, the Debian packages CI needs:
#   postgresql          the server, for the integration tests against a real PostgreSQL
#   docker-compose      only to validate docker-compose.yml (`docker-compose config -q`); no engine
#   chromium            the console's browser test drives /usr/bin/chromium through playwright-core
#                       (Playwright's own browser downloads do not work here)
#   fonts-wqy-microhei  a small CJK font so the Chinese console renders in screenshots (skipped when
#                       another CJK font package is installed)
# Idempotent: checks first, runs `apt-get update` only when something must be installed, and prints
# what it did. Runs as root, or through sudo when that is available.
set -euo pipefail
say() { echo "[ci-apt] $*"; }

# A Debian package counts as present when dpkg says it is installed.
installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

have_postgresql() {
  if installed postgresql; then say "postgresql: present (package postgresql)"; return 0; fi
  # A versioned server package (postgresql-15, -16, ...) without the meta package is enough too.
  local bin
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    if [[ -x "$bin" ]]; then say "postgresql: present ($bin)"; return 0; fi
  done
  return 1
}

have_docker_compose() {
  if command -v docker-compose >/dev/null 2>&1; then say "docker-compose: present ($(command -v docker-compose))"; return 0; fi
  if installed docker-compose; then say "docker-compose: present (package docker-compose)"; return 0; fi
  return 1
}

have_chromium() {
  if [[ -x /usr/bin/chromium ]]; then say "chromium: present (/usr/bin/chromium)"; return 0; fi
  return 1
}

have_cjk_font() {
  local pkg
  for pkg in fonts-wqy-microhei fonts-wqy-zenhei fonts-noto-cjk; do
    if installed "$pkg"; then say "CJK font: present (package $pkg)"; return 0; fi
  done
  return 1
}

missing=()
have_postgresql || missing+=(postgresql)
have_docker_compose || missing+=(docker-compose)
have_chromium || missing+=(chromium)
have_cjk_font || missing+=(fonts-wqy-microhei)

if [[ ${#missing[@]} -eq 0 ]]; then
  say "nothing to install"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || { say "missing ${missing[*]} and no apt-get here: install them by hand"; exit 1; }
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  say "missing ${missing[*]}: run as root or install sudo"; exit 1
fi
apt() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

say "installing: ${missing[*]}"
say "apt-get update"
apt update -qq
# --no-install-recommends: docker-compose recommends docker.io (an engine), which CI does not need.
apt install -y -qq --no-install-recommends "${missing[@]}"
for pkg in "${missing[@]}"; do
  installed "$pkg" || { say "$pkg: still not installed after apt-get install"; exit 1; }
  say "$pkg: installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
done
