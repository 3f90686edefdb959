#!/usr/bin/env bash
# `make test`'s two passes side by side: the whole suite on SQLite and the API suite on
# PostgreSQL. Run one after the other, each left a core idle while its last long file ran and
# while real servers started or slept; together they keep both cores busy. Each pass writes its
# own log, shown in full when both are done; the run fails if either does.
# Usage: scripts/test_passes.sh PYTHON WORKERS   (BELOWLINE_TEST_PG_URL, _REDIS_URL set)
set -uo pipefail
python=${1:-.venv/bin/python}
workers=${2:-auto}
pytest=("$python" -m pytest -q -p no:cacheprovider -n "$workers" --dist loadfile --durations=15)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

start=$(date +%s)
"${pytest[@]}" > "$logs/sqlite.log" 2>&1 &
sqlite=$!
BELOWLINE_TEST_DATABASE_URL=$BELOWLINE_TEST_PG_URL "${pytest[@]}" \
  -m "not browser and not integration and not slow" \
  --ignore=tests/triage --ignore=tests/demo --ignore=tests/browser > "$logs/postgres.log" 2>&1 &
postgres=$!

wait "$postgres"; postgres_rc=$?; postgres_s=$(( $(date +%s) - start ))
wait "$sqlite"; sqlite_rc=$?; sqlite_s=$(( $(date +%s) - start ))
echo "=== SQLite: the whole suite (exit $sqlite_rc, ${sqlite_s} s)"
cat "$logs/sqlite.log"
echo "=== PostgreSQL: the API suite (exit $postgres_rc, ${postgres_s} s)"
cat "$logs/postgres.log"
[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]
