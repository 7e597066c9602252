#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the tests: start them
# when they are installed but stopped, and say what to install when they are not.
set -euo pipefail

PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

wait_for() {  # wait_for "description" command...
  local what=$1; shift
  for _ in $(seq 1 30); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "error: $what did not come up within 15 s" >&2; exit 1
}

postgres_up() { python3 - "$PG_PORT" <<'PY'
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
PY
}

redis_up() { python3 - "$REDIS_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"PING\r\n")
assert s.recv(16).startswith(b"+PONG")
PY
}

if ! postgres_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL…"
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for "PostgreSQL on 127.0.0.1:$PG_PORT" postgres_up
  else
    echo "error: PostgreSQL is not running on 127.0.0.1:$PG_PORT and is not installed." >&2
    echo "       Install it (Debian: apt-get install postgresql) or point TEST_DATABASE_URL at one." >&2
    exit 1
  fi
fi

if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis…"
    mkdir -p /tmp/callsync-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /tmp/callsync-redis --logfile /tmp/callsync-redis/redis.log
    wait_for "Redis on 127.0.0.1:$REDIS_PORT" redis_up
  else
    echo "error: Redis is not running on 127.0.0.1:$REDIS_PORT and is not installed." >&2
    echo "       Install it (Debian: apt-get install redis-server) or point TEST_REDIS_URL at one." >&2
    exit 1
  fi
fi
echo "PostgreSQL and Redis are up."

# Debian packages some tests run: installed when missing, never downloaded any other way.
apt_install() {  # apt_install package "what needs it"
  local package=$1 why=$2 as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "error: $package is missing and installing it needs root (no sudo here): apt-get install $package ($why)" >&2; exit 1; }
    as_root=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || {
    echo "error: $package is missing and apt-get is not available: install it yourself ($why)." >&2; exit 1; }
  echo "$package is missing: installing Debian's $package package (apt-get install -y $package) for $why…"
  if ! DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends "$package"; then
    echo "The install failed; refreshing the package lists (apt-get update) and trying again…"
    "${as_root[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends "$package" || {
      echo "error: apt-get could not install $package (see above); $why need it." >&2; exit 1; }
  fi
}

# The browser tests (tests/browser/) drive Debian's Chromium; Playwright never downloads a browser.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  apt_install chromium "the browser tests"
  [ -x "$CHROMIUM" ] || { echo "error: chromium was installed but $CHROMIUM is still missing." >&2; exit 1; }
fi
echo "Chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"

# The deploy tests (tests/deploy/) run Debian's nginx in front of gunicorn, as a process of their
# own on loopback ports. Where the package starts the system service (on port 80, with Debian's
# default site), it is stopped again: the tests never use it.
NGINX=${NGINX:-/usr/sbin/nginx}
if [ ! -x "$NGINX" ]; then
  apt_install nginx "the deploy tests"
  [ -x "$NGINX" ] || { echo "error: nginx was installed but $NGINX is still missing." >&2; exit 1; }
  if [ -s /run/nginx.pid ]; then
    as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" "$NGINX" -s stop 2>/dev/null || "${as_root[@]}" service nginx stop 2>/dev/null || true
  fi
fi
echo "nginx: $("$NGINX" -v 2>&1)"
