#!/usr/bin/env bash
# Installs, with apt-get and only when missing, what the console's browser test needs
# (test/integration/console.e2e.test.ts drives Debian's chromium through playwright-core):
#   chromium             the browser, at /usr/bin/chromium (Playwright's own browser downloads do
#                        not work here: never `npx playwright install`)
#   fonts-wqy-microhei   a small CJK font, so the Chinese interface renders in screenshots instead
#                        of empty boxes (skipped when another CJK font package is installed)
# Idempotent: checks first, runs `apt-get update` only when something must be installed, and prints
# what it did. Runs as root, or through sudo when that is available.
set -euo pipefail
say() { echo "[ci-chromium] $*"; }
bin=/usr/bin/chromium

# A Debian package counts as present when dpkg says it is installed.
installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

have_chromium() {
  if [[ -x "$bin" ]]; then say "chromium: present ($bin, $("$bin" --version 2>/dev/null || echo 'version unknown'))"; return 0; fi
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
apt install -y -qq "${missing[@]}"
for pkg in "${missing[@]}"; do
  installed "$pkg" || { say "$pkg: still not installed after apt-get install"; exit 1; }
  say "$pkg: installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
done
[[ -x "$bin" ]] || { say "chromium: installed but $bin is missing"; exit 1; }
