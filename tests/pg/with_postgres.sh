#!/usr/bin/env bash
# Runs a command with a real, throw-away PostgreSQL 15 server (Debian's
# `postgresql` package): initdb and pg_ctl in a fresh temporary directory, as
# an unprivileged user, listening on a free loopback port only. The server is
# stopped and the directory removed when the command ends (trap).
#
#   tests/pg/with_postgres.sh COMMAND [ARG...]
#
# The command gets:
#   DIVCHECK_TEST_PG_URL     postgresql://divcheck@127.0.0.1:PORT/divcheck
#   DIVCHECK_TEST_PG_PASSWORD_FILE  a file with the role's password
#   DIVCHECK_TEST_PG_CTL     a command that takes stop|start|restart and
#                            controls this server (for outage tests)
# Password authentication (scram-sha-256) is on, so the tests exercise the
# password path divcheckd uses in production.
# Exit status: the command's, or 77 when PostgreSQL is not installed.
set -euo pipefail
bin="${DIVCHECK_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "with_postgres.sh: no PostgreSQL 15 under $bin (apt-get install postgresql)" >&2
  exit 77
fi
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d /tmp/divcheck_pg_XXXXXX)"
chmod 0755 "$dir"
# initdb refuses to run as root: run the server as an unprivileged user.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$dir"
  as_user=(runuser -u nobody --)
fi
export PGDATA="$dir/data"
cleanup() {
  "${as_user[@]}" "$bin/pg_ctl" -D "$PGDATA" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
printf '%s\n' "$password" > "$dir/password"
printf '%s' "$password" > "$dir/password.init"
chmod 0644 "$dir/password.init"
"${as_user[@]}" "$bin/initdb" -D "$PGDATA" -U divcheck --auth=scram-sha-256 \
  --pwfile="$dir/password.init" --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/password.init"
cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 60
shared_buffers = 16MB
fsync = on
logging_collector = off
CONF
# The server's log goes to $dir/server.log (printed when the command fails).
cat >"$dir/pg_ctl.sh" <<CTL
#!/usr/bin/env bash
# stop | start | restart the test's PostgreSQL server.
set -euo pipefail
case "\$1" in
  stop) ${as_user[*]} "$bin/pg_ctl" -D "$PGDATA" -m fast -w -t 30 stop >/dev/null ;;
  start) ${as_user[*]} "$bin/pg_ctl" -D "$PGDATA" -l "$dir/server.log" -w -t 30 start >/dev/null ;;
  restart) ${as_user[*]} "$bin/pg_ctl" -D "$PGDATA" -l "$dir/server.log" -m fast -w -t 30 restart >/dev/null ;;
  *) echo "usage: \$0 stop|start|restart" >&2; exit 2 ;;
esac
CTL
chmod 0755 "$dir/pg_ctl.sh"
bash "$dir/pg_ctl.sh" start || { cat "$dir/server.log" >&2; exit 1; }
PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U divcheck -d postgres -qAtc \
  "CREATE DATABASE divcheck" >/dev/null

export DIVCHECK_TEST_PG_URL="postgresql://divcheck@127.0.0.1:$port/divcheck"
export DIVCHECK_TEST_PG_PASSWORD_FILE="$dir/password"
export DIVCHECK_TEST_PG_CTL="$dir/pg_ctl.sh"
echo "with_postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
set +e
"$@"
rc=$?
set -e
if [ $rc -ne 0 ] && [ -f "$dir/server.log" ]; then
  echo "--- PostgreSQL log (last 40 lines)" >&2
  tail -n 40 "$dir/server.log" >&2
fi
exit $rc
