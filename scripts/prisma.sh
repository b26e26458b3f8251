#!/usr/bin/env bash
# Runs the Prisma CLI without its native engines: the schema engine runs as WebAssembly
# (engine "js" in prisma.config.ts), so nothing is downloaded from Prisma's binary host.
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_QUERY_ENGINE_LIBRARY=/bin/false
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
# `generate` needs no database; the config still reads DATABASE_URL, so give it a harmless default.
export DATABASE_URL="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:54320/postgres}"
exec node_modules/.bin/prisma "$@"
