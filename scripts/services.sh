#!/usr/bin/env bash
# Install (Debian packages) and start the services the full test suite needs:
# PostgreSQL, Redis and Chromium. Prints the environment to use them.
set -euo pipefail

# Root runs everything directly; a sudo user gets sudo for installs and root-owned steps,
# and `sudo -u postgres` (not `su`, which asks for the postgres password) for the database.
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
  as_postgres() { su postgres -c "$*"; }
else
  SUDO="sudo"
  as_postgres() { sudo -u postgres sh -c "$*"; }
fi

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian packages..." >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi

# PostgreSQL: the distribution's default cluster, a belowline role and test database.
PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^${PG_VERSION} main"; then
  $SUDO pg_createcluster "$PG_VERSION" main >&2
fi
$SUDO pg_ctlcluster "$PG_VERSION" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q && break; sleep 0.5; done
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='belowline'\"" | grep -q 1 \
  || as_postgres "psql -qc \"CREATE ROLE belowline LOGIN PASSWORD 'belowline' SUPERUSER\"" >&2
for db in belowline_test belowline_integration belowline_bench; do
  as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1 \
    || as_postgres "createdb -O belowline $db" >&2
done

# Redis on its default port, in the background.
if ! redis-cli ping >/dev/null 2>&1; then
  redis-server --daemonize yes --save "" --appendonly no >&2
  for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.25; done
fi

# Test runs create (and drop) their own databases on this server and claim a free Redis db.
echo "export BELOWLINE_TEST_PG_URL=postgresql+psycopg://belowline:belowline@127.0.0.1:5432/belowline_test"
echo "export BELOWLINE_TEST_REDIS_URL=redis://127.0.0.1:6379/0"
