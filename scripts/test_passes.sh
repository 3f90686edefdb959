#!/usr/bin/env bash
# `make test`'s two passes side by side, each test run once unless the database is its point:
#  - SQLite: every test that uses the test database (`database`, marked from the fixtures), the
#    browser, integration and slow tests;
#  - PostgreSQL: the API suite's database tests again on PostgreSQL, then the tests that use no
#    database (triage, units, catalogs), which behave the same in either pass.
# Run one after the other, each left a core idle while its last long file ran and while real
# servers started or slept; together they keep both cores busy. Each pass writes its own log,
# shown in full when both are done; the run fails if either does.
# Usage: scripts/test_passes.sh PYTHON WORKERS   (BELOWLINE_TEST_PG_URL, _REDIS_URL set)
set -uo pipefail
python=${1:-.venv/bin/python}
workers=${2:-auto}
pytest=("$python" -m pytest -q -p no:cacheprovider -n "$workers" --dist loadfile --durations=15)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

start=$(date +%s)
"${pytest[@]}" -m "database or browser or integration or slow" > "$logs/sqlite.log" 2>&1 &
sqlite=$!
{
  BELOWLINE_TEST_DATABASE_URL=$BELOWLINE_TEST_PG_URL "${pytest[@]}" \
    -m "database and not browser and not integration and not slow" \
    --ignore=tests/triage --ignore=tests/demo --ignore=tests/browser
  on_postgres=$?
  echo "=== No database: the tests that use none"
  "${pytest[@]}" -m "not database and not browser and not integration and not slow"
  without=$?
  [ "$on_postgres" -eq 0 ] && [ "$without" -eq 0 ]
} > "$logs/postgres.log" 2>&1 &
postgres=$!

wait "$postgres"; postgres_rc=$?; postgres_s=$(( $(date +%s) - start ))
wait "$sqlite"; sqlite_rc=$?; sqlite_s=$(( $(date +%s) - start ))
echo "=== SQLite: the tests that use the database, browser, integration and slow tests" \
  "(exit $sqlite_rc, ${sqlite_s} s)"
cat "$logs/sqlite.log"
echo "=== PostgreSQL: the API suite, then the tests that use no database" \
  "(exit $postgres_rc, ${postgres_s} s)"
cat "$logs/postgres.log"
[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]
