#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (Debian's server package) on a free port for CI and prints
# its URL; `stop` removes it. Runs the server as the `postgres` user when started as root.
set -euo pipefail
dir="${CI_PG_DIR:-/tmp/hotline-ci-pg}"
# Below Linux's ephemeral range (32768–60999): a fixed port inside it can be taken by an outgoing
# connection of the suites just run ("could not bind ... Address already in use"), so try a few.
ports="${CI_PG_PORT:-15432 15433 15434 15435 15436}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$bin/initdb" ]] || { echo "[ci-postgres] no PostgreSQL server found (run scripts/ci-apt.sh)" >&2; exit 1; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    [[ -f "$dir/postmaster.pid" ]] && as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"; mkdir -p "$dir"; [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    started=""
    for port in $ports; do
      if as_pg "$bin/pg_ctl" -D "$dir" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/server.log" -w start >/dev/null; then
        started=$port
        break
      fi
      echo "[ci-postgres] port $port: $(tail -n 3 "$dir/server.log" | grep -m1 -o 'could not bind.*' || echo 'did not start')" >&2
    done
    [[ -n "$started" ]] || { echo "[ci-postgres] no port of: $ports" >&2; exit 1; }
    port=$started
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hotline_test
    echo "postgres://postgres:postgres@127.0.0.1:$port/hotline_test"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
