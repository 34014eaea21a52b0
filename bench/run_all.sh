#!/usr/bin/env bash
# The whole measurement campaign (bench/README.md). Each step is one process (Django reads its database once).
#
#   bench/run_all.sh                                         # SQLite only
#   bench/run_all.sh postgres://user:pass@127.0.0.1/postgres # SQLite and PostgreSQL
#   REPEAT=1 PARTS="import" bench/run_all.sh                 # quicker: one repetition, importer only
#
# PARTS (default "import variants generate") picks what to run. JSON lines go to bench/results/*.jsonl,
# the full console output to bench/results/run_all-<time>.log; `bench/summarize.py` turns the JSON into tables.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG="${1:-${BENCH_DATABASE_URL:-}}"
REPEAT="${REPEAT:-3}"
PARTS="${PARTS:-import variants generate}"
# SCOPES (default "371681 37 national") narrows the importer runs; GEN_SCALES ("county province national") and
# GEN_METHODS ("bulk_create executemany", plus "copy" on PostgreSQL) the generator runs.
SCALES=()
for scope in ${SCOPES:-371681 37 national}; do [ "$scope" = national ] && SCALES+=("") || SCALES+=("$scope"); done
GEN_SCALES="${GEN_SCALES:-county province national}"
GEN_METHODS="${GEN_METHODS:-bulk_create executemany}"
mkdir -p bench/results
LOG="bench/results/run_all-$(date +%Y%m%d-%H%M%S).log"

dbs=("sqlite")
[ -n "$PG" ] && dbs+=("postgresql")

# The machine may be shared: before each run wait (up to QUIET_WAIT seconds) for the 1-minute load average to
# drop below QUIET_LOAD. Every JSON line records the load before and after; summarize.py --max-load filters on it.
QUIET_LOAD="${QUIET_LOAD:-1.5}"
QUIET_WAIT="${QUIET_WAIT:-900}"
wait_quiet() {
    local waited=0
    while awk -v max="$QUIET_LOAD" '{ exit !($1 >= max) }' /proc/loadavg && [ "$waited" -lt "$QUIET_WAIT" ]; do
        sleep 10
        waited=$((waited + 10))
    done
    echo "## load $(cut -d' ' -f1 /proc/loadavg) after waiting ${waited}s" | tee -a "$LOG"
}

run() {  # run <db> <script> <args…>
    local db="$1" script="$2"
    shift 2
    wait_quiet
    local extra=()
    [ "$db" = postgresql ] && extra=(--database-url "$PG")
    echo "## $(date +%T) $script $* ${extra[*]:+--database-url …}" | tee -a "$LOG"
    # Exit status 2 means "ran, but a check failed" (e.g. a query not using the prefix index): keep going.
    "$PY" "bench/$script" "$@" "${extra[@]}" 2>&1 | grep -v '^{' | tee -a "$LOG" || true
}

for part in $PARTS; do
    case "$part" in
    import)  # the application's importer, DEBUG off, then DEBUG on and tracemalloc once at national scale
        for i in $(seq "$REPEAT"); do
            for db in "${dbs[@]}"; do
                for under in "${SCALES[@]}"; do run "$db" regions_import.py --under "$under"; done
            done
        done
        for db in "${dbs[@]}"; do
            run "$db" regions_import.py --under "" --debug --no-queries
            run "$db" regions_import.py --under "" --tracemalloc --no-queries
        done
        ;;
    variants)  # prefix-query plans without the (level, code) index (as before regions 0002) and with ANALYZE
        for db in "${dbs[@]}"; do
            run "$db" regions_import.py --under "" --no-reimport --query-variants
        done
        ;;
    generate)
        for db in "${dbs[@]}"; do
            methods="$GEN_METHODS"
            [ "$db" = postgresql ] && methods="$methods copy"
            for scale in $GEN_SCALES; do
                for method in $methods; do
                    run "$db" generate.py --scale "$scale" --method "$method"
                done
            done
        done
        ;;
    *) echo "unknown part $part" >&2; exit 1 ;;
    esac
done
echo "log: $LOG"
