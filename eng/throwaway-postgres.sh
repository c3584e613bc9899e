# Sourced, not run: start_postgres starts a throwaway PostgreSQL server and exports WEBHOOKS_POSTGRES (an Npgsql
# connection string to its database webhooks_tests); pg_port and pg_password are set for libpq clients.
#
# Debian's postgresql package is installed with apt-get when no server binaries exist. The server runs as the
# postgres user on a free loopback port from 55432 up, with its data and socket in a temporary folder that is stopped
# and deleted when the sourcing script exits. Durability is traded for speed (fsync=off).

pg_tmp=""
pg_bin=""
pg_port=""
pg_password=""

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_postgres() {
  if [ -n "$pg_tmp" ] && [ -d "$pg_tmp" ]; then
    if [ -f "$pg_tmp/data/postmaster.pid" ]; then
      as_server_user "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$pg_tmp"
  fi
}

find_server_binaries() {
  pg_bin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] && [ -x "$pg_bin/pg_ctl" ]
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "eng/throwaway-postgres.sh: PostgreSQL server binaries are missing; install Debian's postgresql package (eng/test.sh also takes a server named by WEBHOOKS_POSTGRES)." >&2
    exit 1
  fi
  echo "eng/throwaway-postgres.sh: installing Debian's postgresql package for the throwaway server" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq --no-install-recommends postgresql </dev/null >/dev/null
}

free_port() {
  local port
  for port in $(seq 55432 55531); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "eng/throwaway-postgres.sh: no free port between 55432 and 55531" >&2
  return 1
}

start_postgres() {
  find_server_binaries || install_postgres
  find_server_binaries || { echo "eng/throwaway-postgres.sh: no initdb/pg_ctl under /usr/lib/postgresql/*/bin" >&2; exit 1; }

  # As root the server runs as postgres, which must be able to reach the folder: /tmp, whatever TMPDIR says.
  local tmp_base="${TMPDIR:-/tmp}"
  [ "$(id -u)" -ne 0 ] || tmp_base=/tmp
  pg_tmp="$(mktemp -d "$tmp_base/webhooks-pg.XXXXXX")"
  trap stop_postgres EXIT
  trap 'exit 130' INT TERM
  [ "$(id -u)" -ne 0 ] || chown postgres: "$pg_tmp"

  local password port
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" > "$pg_tmp/pwfile"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$pg_tmp/pwfile"
  port="$(free_port)"

  if ! as_server_user "$pg_bin/initdb" -D "$pg_tmp/data" -U postgres --pwfile="$pg_tmp/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync >"$pg_tmp/initdb.log" 2>&1; then
    cat "$pg_tmp/initdb.log" >&2
    exit 1
  fi
  rm -f "$pg_tmp/pwfile"

  # A throwaway server: durability is traded for speed.
  if ! as_server_user "$pg_bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $pg_tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
    cat "$pg_tmp/server.log" >&2 || true
    exit 1
  fi
  as_server_user "$pg_bin/psql" -h "$pg_tmp" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc \
    'CREATE DATABASE webhooks_tests' >/dev/null

  export WEBHOOKS_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=webhooks_tests"
  pg_port="$port"
  pg_password="$password"
}
