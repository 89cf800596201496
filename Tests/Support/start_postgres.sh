#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the review-store tests and prints its URL.
#   Tests/Support/start_postgres.sh DIR      → initdb into DIR/data, listen on a free port on
#                                              127.0.0.1 with the socket in DIR; prints
#                                              postgresql://lightbox@127.0.0.1:PORT/lightbox
#   Tests/Support/start_postgres.sh --stop DIR
# PostgreSQL refuses to run as root, so as root the server runs as `nobody` (DIR is handed to it).
# The password of role `lightbox` is in DIR/password (mode 0600); tests pass it as PGPASSWORD.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "start_postgres: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)" >&2; exit 2; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
if [ "${1:-}" = --stop ]; then
  as_owner "$bin/pg_ctl" -D "$2/data" -m immediate stop >/dev/null 2>&1 || true
  exit 0
fi
dir=$1
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown nobody "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
umask 077
printf '%s\n' "$password" > "$dir/password"
[ "$(id -u)" = 0 ] && chown nobody "$dir/password"
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --pwfile="$dir/password" >"$dir/initdb.log" 2>&1
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE lightbox LOGIN PASSWORD '$password'" -c "CREATE DATABASE lightbox OWNER lightbox" >/dev/null
echo "postgresql://lightbox@127.0.0.1:$port/lightbox"
