#!/usr/bin/env bash
# Makes the Temporal CLI (dev server) and the time-skipping test server available, idempotently.
# Order for each: an explicit path (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH), then PATH,
# then this project's cache, then the SDK's own cached download where the internet is reachable,
# else a build through the package registries (Go module proxy for the CLI, Maven Central for
# the Java test server). Also the production Temporal server and its SQL schema tool for the local
# cluster (`npm run cluster`, scripts/cluster/), built with `go install` when missing (set
# HOTLINE_SKIP_CLUSTER_BINARIES=1 to skip them). Writes the chosen paths to .tools/temporal.env.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="${HOTLINE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hotline-cases}"
cli_version="v1.5.1"           # later tags carry `replace` directives that `go install` refuses
test_server_version="1.32.1"   # io.temporal:temporal-test-server on Maven Central
server_version="v1.29.1"       # go.temporal.io/server: the same version as docker-compose.yml's images
ui_version="v2.42.1"           # github.com/temporalio/ui-server/v2: the UI the CLI above embeds (assets included)
mkdir -p "$tools/bin" "$root/.tools"
say() { echo "[temporal-binaries] $*" >&2; }

internet() { curl -sS -o /dev/null --max-time 5 https://temporal.download/ 2>/dev/null; }

resolve_cli() {
  if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_CLI_PATH" ]] || { say "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable"; return 1; }
    say "CLI from TEMPORAL_CLI_PATH: $TEMPORAL_CLI_PATH"; echo "$TEMPORAL_CLI_PATH"; return
  fi
  if command -v temporal >/dev/null 2>&1; then say "CLI from PATH: $(command -v temporal)"; command -v temporal; return; fi
  if [[ -x "$tools/bin/temporal" ]]; then say "CLI from cache: $tools/bin/temporal"; echo "$tools/bin/temporal"; return; fi
  if [[ "${HOTLINE_PREFER_REGISTRY:-0}" != 1 ]] && internet; then say "CLI: internet reachable, the SDK downloads its own"; echo ""; return; fi
  command -v go >/dev/null 2>&1 || { say "no Temporal CLI: set TEMPORAL_CLI_PATH, put 'temporal' on PATH, or install Go"; return 1; }
  say "building the Temporal CLI $cli_version with 'go install' (pure Go, a few minutes once; cached in $tools/bin)"
  GOBIN="$tools/bin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$cli_version" >&2 \
    || { say "go install of the Temporal CLI failed"; return 1; }
  echo "$tools/bin/temporal"
}

resolve_test_server() {
  if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]] || { say "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable"; return 1; }
    say "test server from TEMPORAL_TEST_SERVER_PATH"; echo "$TEMPORAL_TEST_SERVER_PATH"; return
  fi
  if command -v temporal-test-server >/dev/null 2>&1; then say "test server from PATH"; command -v temporal-test-server; return; fi
  local dir="$tools/test-server-$test_server_version" wrapper="$tools/bin/temporal-test-server"
  if [[ -x "$wrapper" && -d "$dir/lib" ]]; then say "test server from cache: $wrapper"; echo "$wrapper"; return; fi
  if [[ "${HOTLINE_PREFER_REGISTRY:-0}" != 1 ]] && internet; then say "test server: internet reachable, the SDK downloads its own"; echo ""; return; fi
  command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1 \
    || { say "no test server: set TEMPORAL_TEST_SERVER_PATH, or install Java 17 and Maven"; return 1; }
  say "fetching io.temporal:temporal-test-server:$test_server_version with Maven (cached in $dir)"
  mkdir -p "$dir"
  cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.hotline</groupId><artifactId>temporal-test-server-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$test_server_version</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>2.0.16</version></dependency>
  </dependencies>
</project>
POM
  (cd "$dir" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib >&2) || { say "Maven could not fetch the test server"; return 1; }
  # The SDK runs `<executable> <port> --enable-time-skipping`, the TestServer main class's own arguments.
  cat > "$wrapper" <<SH
#!/usr/bin/env bash
exec java -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$dir/lib/*" io.temporal.testserver.TestServer "\$@"
SH
  chmod +x "$wrapper"
  echo "$wrapper"
}

# The Temporal server (`server`) and SQL tool (`sql`) of go.temporal.io/server, pure Go, one build of
# about 2-5 minutes once; cached as temporal-server-<version> and temporal-sql-tool-<version>.
resolve_cluster() {
  local server="$tools/bin/temporal-server-${server_version#v}" sqltool="$tools/bin/temporal-sql-tool-${server_version#v}"
  if [[ -n "${TEMPORAL_SERVER_PATH:-}" && -n "${TEMPORAL_SQL_TOOL_PATH:-}" ]]; then
    say "cluster binaries from TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH"; printf '%s %s\n' "$TEMPORAL_SERVER_PATH" "$TEMPORAL_SQL_TOOL_PATH"; return
  fi
  if [[ -x "$server" && -x "$sqltool" ]]; then say "cluster binaries from cache: $server, $sqltool"; printf '%s %s\n' "$server" "$sqltool"; return; fi
  if [[ "${HOTLINE_SKIP_CLUSTER_BINARIES:-0}" == 1 ]]; then say "cluster binaries skipped (HOTLINE_SKIP_CLUSTER_BINARIES=1)"; echo " "; return; fi
  command -v go >/dev/null 2>&1 || { say "no Go: the cluster (npm run cluster) needs TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH"; echo " "; return; }
  say "building the Temporal server and SQL tool $server_version with 'go install' (pure Go, a few minutes once; cached in $tools/bin)"
  local gobin; gobin="$(mktemp -d)"
  if GOBIN="$gobin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "go.temporal.io/server/cmd/server@$server_version" "go.temporal.io/server/cmd/tools/sql@$server_version" >&2; then
    mv "$gobin/server" "$server" && mv "$gobin/sql" "$sqltool"
    rm -rf "$gobin"; printf '%s %s\n' "$server" "$sqltool"
  else
    rm -rf "$gobin"; say "go install of the Temporal server failed: the cluster is unavailable"; echo " "
  fi
}

# The Temporal UI server for the cluster (optional: the cluster runs without it), about 15 s once the CLI is built.
resolve_ui() {
  local ui="$tools/bin/temporal-ui-server-${ui_version#v}"
  if [[ -n "${TEMPORAL_UI_SERVER_PATH:-}" ]]; then say "UI server from TEMPORAL_UI_SERVER_PATH"; echo "$TEMPORAL_UI_SERVER_PATH"; return; fi
  if [[ -x "$ui" ]]; then say "UI server from cache: $ui"; echo "$ui"; return; fi
  if [[ "${HOTLINE_SKIP_CLUSTER_BINARIES:-0}" == 1 ]] || ! command -v go >/dev/null 2>&1; then echo ""; return; fi
  say "building the Temporal UI server $ui_version with 'go install' (cached in $tools/bin)"
  local gobin; gobin="$(mktemp -d)"
  if GOBIN="$gobin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/temporalio/ui-server/v2/cmd/server@$ui_version" >&2; then
    mv "$gobin/server" "$ui"; rm -rf "$gobin"; echo "$ui"
  else
    rm -rf "$gobin"; say "go install of the UI server failed: the cluster runs without a UI"; echo ""
  fi
}

cli="$(resolve_cli)"
test_server="$(resolve_test_server)"
read -r server sqltool <<<"$(resolve_cluster)" || true
ui="$(resolve_ui)"
printf 'TEMPORAL_CLI_PATH=%s\nTEMPORAL_TEST_SERVER_PATH=%s\nTEMPORAL_SERVER_PATH=%s\nTEMPORAL_SQL_TOOL_PATH=%s\nTEMPORAL_UI_SERVER_PATH=%s\n' \
  "$cli" "$test_server" "${server:-}" "${sqltool:-}" "$ui" > "$root/.tools/temporal.env"
say "wrote .tools/temporal.env (an empty path means the SDK's cached download)"
