#!/usr/bin/env bash
# `npm run up`: bootstrap, then the whole service on embedded defaults (see scripts/up.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node_modules/.bin/tsx scripts/up.ts
