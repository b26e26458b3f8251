#!/usr/bin/env bash
# Makes a real S3-compatible server available for the evidence store's integration test, idempotently:
# gofakes3 (MIT; an S3 API server in Go) built once with `go install` from the Go module proxy and cached
# in the tools directory. MinIO itself is not used for tests: it is AGPL-licensed and a long build.
# Writes its path to .tools/s3.env (S3_TEST_SERVER_PATH; empty when Go is missing: the test then fails, saying so).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="${HOTLINE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hotline-cases}"
version="v1.2.0"
mkdir -p "$tools/bin" "$root/.tools"
say() { echo "[s3-test-server] $*" >&2; }
bin="$tools/bin/gofakes3-$version"
if [[ -n "${S3_TEST_SERVER_PATH:-}" ]]; then
  bin="$S3_TEST_SERVER_PATH"; say "from S3_TEST_SERVER_PATH: $bin"
elif [[ -x "$bin" ]]; then
  say "from cache: $bin"
elif command -v go >/dev/null 2>&1; then
  say "building gofakes3 $version with 'go install' (seconds; cached in $tools/bin)"
  tmp="$(mktemp -d)"
  if GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/johannesboyne/gofakes3/cmd/gofakes3@$version" >&2; then
    mv "$tmp/gofakes3" "$bin"
  else
    say "go install of gofakes3 failed: the S3 store's integration test will fail, saying so"; bin=""
  fi
  rm -rf "$tmp"
else
  say "no Go toolchain: set S3_TEST_SERVER_PATH to an S3-compatible server binary taking gofakes3's flags"; bin=""
fi
printf 'S3_TEST_SERVER_PATH=%s\n' "$bin" > "$root/.tools/s3.env"
