#!/bin/sh
# A private PostgreSQL server for tests/history and tests/dashboard: Debian's `postgresql`
# package (installed when missing; run as root), a throwaway cluster in a temporary directory,
# listening on loopback only, trust authentication (nothing but this machine can reach it).
# Prints the URL the tests read from PERFBOT_TEST_POSTGRES_URL; stop the server with
#   pg_ctl -D <dir> stop   (the directory is the URL's last line on stderr)
#   tests/history/start-postgres.sh [PORT]   (default: a free port the kernel picks, so a
#   second run beside a first one still starts; PERFBOT_PG_DIR: where, else a new temporary
#   directory)
set -eu
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=${1:-$(free_port)}
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
data=${PERFBOT_PG_DIR:-$(mktemp -d)}
chown postgres "$data"
as_postgres() { runuser -u postgres -- "$@"; }
as_postgres "$bin/initdb" -D "$data/db" -A trust -U postgres >/dev/null
as_postgres "$bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" start >/dev/null
echo "postgresql server data: $data/db" >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
