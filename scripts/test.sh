#!/usr/bin/env bash
# `npm test`: bootstrap, then type check, lint, format check and every suite (unit, workflows on the time-skipping
# server, integration on the dev server + database). Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo "[test] type check" >&2
node_modules/.bin/tsc --noEmit -p .
echo "[test] lint" >&2
node_modules/.bin/eslint --max-warnings 0 .
echo "[test] format (prettier --check; npm run format rewrites)" >&2
node_modules/.bin/prettier --check . >&2
echo "[test] vitest: unit, workflows, integration" >&2
exec node_modules/.bin/vitest run "$@"
