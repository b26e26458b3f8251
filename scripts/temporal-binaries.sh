#!/usr/bin/env bash
# Makes the Temporal CLI (dev server) and the time-skipping test server available, idempotently.
# Order for each: an explicit path (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH), then PATH,
# then this project's cache, then the SDK's own cached download where the internet is reachable,
# else a build through the package registries (Go module proxy for the CLI, Maven Central for
# the Java test server). Writes the chosen paths to .tools/temporal.env and prints what it did.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="${HOTLINE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hotline-cases}"
cli_version="v1.5.1"           # later tags carry `replace` directives that `go install` refuses
test_server_version="1.32.1"   # io.temporal:temporal-test-server on Maven Central
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

cli="$(resolve_cli)"
test_server="$(resolve_test_server)"
printf 'TEMPORAL_CLI_PATH=%s\nTEMPORAL_TEST_SERVER_PATH=%s\n' "$cli" "$test_server" > "$root/.tools/temporal.env"
say "wrote .tools/temporal.env (an empty path means the SDK's cached download)"
