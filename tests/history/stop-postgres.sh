#!/bin/sh
# Stop the server tests/history/start-postgres.sh started in PERFBOT_PG_DIR (or $1).
set -eu
data=${1:-$PERFBOT_PG_DIR}
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
runuser -u postgres -- "$bin/pg_ctl" -D "$data/db" -m fast stop >/dev/null
