#!/usr/bin/env bash
# `npm run fuzz [-- --max-examples N]`: property-based API fuzzing with schemathesis (from PyPI,
# installed once into a virtualenv in the tools cache) against /openapi.json of a running instance
# that scripts/fuzz.ts starts. Fails on any 5xx or response that violates the documented schema.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${HOTLINE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hotline-cases}"
venv="$tools/fuzz-venv"
version="4.32.5"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  echo "[fuzz] installing schemathesis $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
fi
bash scripts/bootstrap.sh
SCHEMATHESIS="$venv/bin/schemathesis" exec node_modules/.bin/tsx scripts/fuzz.ts "$@"
