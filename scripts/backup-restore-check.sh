#!/usr/bin/env bash
# Proves once that a backup of each database restores to the same data with an intact record book, exactly as
# docs/deploy.md describes:
#   SQLite:     build the demo county in a scratch file, back it up online (sqlite3 `.backup` and Python's
#               sqlite3 backup API), restore each backup into a new file, compare every table's row count; on
#               the first restored copy also run `cunshe records verify` and check that it catches a tampered row.
#   PostgreSQL: the same with `pg_dump -Fc` / `pg_restore` into a fresh database. Uses the server and role of
#               DATABASE_URL (the role needs CREATEDB); two scratch databases are created and dropped again,
#               the database named in DATABASE_URL is never touched.
#
# Usage: scripts/backup-restore-check.sh [--sqlite] [--postgres]
#   no option: SQLite, plus PostgreSQL when DATABASE_URL is set.
# Needs `python3 run.py setup` first (.venv with cunshe installed). Exits non-zero on any mismatch.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_BIN="$ROOT/.venv/bin"
CUNSHE="$VENV_BIN/cunshe"
PYTHON="$VENV_BIN/python"
[[ -x "$CUNSHE" ]] || { echo "缺少 $CUNSHE：请先运行 python3 run.py setup" >&2; exit 2; }

do_sqlite=0
do_postgres=0
for arg in "$@"; do
  case "$arg" in
    --sqlite) do_sqlite=1 ;;
    --postgres) do_postgres=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "未知参数：$arg" >&2; exit 2 ;;
  esac
done
if [[ $do_sqlite -eq 0 && $do_postgres -eq 0 ]]; then
  do_sqlite=1
  if [[ -n "${DATABASE_URL:-}" ]]; then do_postgres=1; fi
fi
if [[ $do_postgres -eq 1 && -z "${DATABASE_URL:-}" ]]; then
  echo "--postgres 需要 DATABASE_URL=postgres://用户:密码@主机:端口/库名（该角色须有 CREATEDB 权限）" >&2
  exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cunshe-backup-check.XXXXXX")"
PG_SCRATCH=()
cleanup() {
  local db
  for db in "${PG_SCRATCH[@]+"${PG_SCRATCH[@]}"}"; do
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Every step runs with the cunshe command's own default settings and with the database given explicitly.
export DJANGO_SETTINGS_MODULE=cunshe.settings.local
export CUNSHE_VAR_DIR="$WORK/var"
cd "$ROOT"

step() { printf '\n--- %s\n' "$*"; }
fail() { echo "失败 (FAILED): $*" >&2; exit 1; }

# Row counts of every table (JSON, sorted), and a refusal if the demo tables are empty.
count_rows() {
  "$PYTHON" - <<'PY'
import json

import django

django.setup()
from django.db import connection

with connection.cursor() as cursor:
    tables = sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_"))
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
empty = [t for t in ("regions_region", "accounts_user", "accounts_roleassignment", "people_person",
                     "records_recordentry", "records_recordchain") if not counts.get(t)]
if empty:
    raise SystemExit(f"demo tables are empty: {empty}")
print(json.dumps(counts, sort_keys=True, indent=1))
PY
}

# Changes one record-book row behind the application's back, as someone editing the database would.
tamper_record_book() {
  "$PYTHON" - <<'PY'
import django

django.setup()
from django.db import connection, transaction

with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT MIN(id) FROM records_recordentry")
    (first,) = cursor.fetchone()
    cursor.execute("UPDATE records_recordentry SET summary = summary || '（篡改）' WHERE id = %s", [first])
PY
}

compare_counts() {  # $1 original counts file, $2 restored counts file, $3 label
  if ! diff -u "$1" "$2"; then
    fail "$3：恢复后的行数与备份前不一致 (row counts differ)"
  fi
  "$PYTHON" - "$2" <<'PY'
import json, sys
counts = json.load(open(sys.argv[1]))
keys = ["regions_region", "accounts_user", "accounts_roleassignment", "people_person", "records_recordentry"]
print("  行数一致 (row counts match): " + ", ".join(f"{k}={counts[k]}" for k in keys) + f"，共 {len(counts)} 张表")
PY
}

verify_restored() {  # environment already points at the restored database; $1 label
  "$CUNSHE" records verify || fail "$1：恢复后的记录本校验失败"
  tamper_record_book
  if "$CUNSHE" records verify >/dev/null 2>&1; then
    fail "$1：篡改一条记录后 records verify 仍然通过 (verify does not detect tampering)"
  fi
  echo "  校验有效：篡改一条记录后 records verify 报告断链 (tampering detected)"
}

check_sqlite() {
  local live="$WORK/live.sqlite3"
  step "SQLite：迁移并建立演示县 ($live)"
  (
    unset DATABASE_URL
    export CUNSHE_SQLITE_PATH="$live"
    "$CUNSHE" migrate --no-input -v 0
    "$CUNSHE" demo >/dev/null
    count_rows >"$WORK/sqlite-live.json"
  )

  step "SQLite：在线备份 (online backup)"
  local backups=()
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$live" ".backup '$WORK/backup-cli.sqlite3'"
    backups+=("$WORK/backup-cli.sqlite3")
    echo "  sqlite3 .backup -> $WORK/backup-cli.sqlite3"
  else
    echo "  (未安装 sqlite3 命令行，跳过 .backup；Python 备份接口照常检查)"
  fi
  "$PYTHON" - "$live" "$WORK/backup-py.sqlite3" <<'PY'
import sqlite3, sys
source = sqlite3.connect(sys.argv[1])
target = sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
target.close()
source.close()
PY
  backups+=("$WORK/backup-py.sqlite3")
  echo "  Python sqlite3.Connection.backup -> $WORK/backup-py.sqlite3"

  # Both ways are SQLite's one online-backup interface: the first copy gets the whole check (rows, migrations,
  # the record book and that verify catches tampering); the others, integrity and every table's rows, which is
  # what could differ between two callers of the same interface. (The record book's verify costs seconds each.)
  local backup restored label full=1
  for backup in "${backups[@]}"; do
    label="SQLite $(basename "$backup")"
    step "$label：恢复到新文件并核对"
    [[ "$(sqlite3_integrity "$backup")" == "ok" ]] || fail "$label：PRAGMA integrity_check 未通过"
    restored="$WORK/restored-$(basename "$backup")"
    cp "$backup" "$restored"
    (
      unset DATABASE_URL
      export CUNSHE_SQLITE_PATH="$restored"
      count_rows >"$WORK/sqlite-restored.json"
      compare_counts "$WORK/sqlite-live.json" "$WORK/sqlite-restored.json" "$label"
      if ((full)); then
        "$CUNSHE" migrate --check --no-input -v 0 || fail "$label：恢复后的库缺少迁移"
        verify_restored "$label"
      fi
    )
    full=0
  done
}

sqlite3_integrity() {
  "$PYTHON" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1"
}

check_postgres() {
  # Host, port, role and password from DATABASE_URL, for the PostgreSQL client programs (libpq environment).
  local pg_environment
  pg_environment="$("$PYTHON" - <<'PY'
import os, shlex
from urllib.parse import unquote, urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in {"postgres", "postgresql", "pgsql"}:
    raise SystemExit(f"DATABASE_URL is not PostgreSQL: {url.scheme}")
values = {
    "PGHOST": url.hostname or "",
    "PGPORT": str(url.port or 5432),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": url.path.lstrip("/") or "postgres",
}
for name, value in values.items():
    print(f"export {name}={shlex.quote(value)}")
PY
)"
  eval "$pg_environment"
  local suffix source target dump
  suffix="$(date +%s)_$$"
  source="cunshe_backupcheck_src_$suffix"
  target="cunshe_backupcheck_dst_$suffix"
  dump="$WORK/cunshe.dump"
  local base="${DATABASE_URL%/*}"
  base="${base%%\?*}"

  step "PostgreSQL：新建临时库 $source 并建立演示县 ($PGHOST:$PGPORT, 角色 $PGUSER)"
  PG_SCRATCH+=("$source")
  createdb --maintenance-db="$PGDATABASE" "$source"
  (
    export DATABASE_URL="$base/$source"
    "$CUNSHE" migrate --no-input -v 0
    "$CUNSHE" demo >/dev/null
    count_rows >"$WORK/pg-live.json"
  )

  step "PostgreSQL：pg_dump -Fc 备份"
  pg_dump -Fc --no-owner -d "$source" -f "$dump"
  pg_restore --list "$dump" >/dev/null || fail "PostgreSQL：备份文件无法读取"
  echo "  $(du -h "$dump" | cut -f1) -> $dump"

  step "PostgreSQL：pg_restore 恢复到新库 $target 并核对"
  PG_SCRATCH+=("$target")
  createdb --maintenance-db="$PGDATABASE" "$target"
  pg_restore --no-owner --exit-on-error -d "$target" "$dump"
  (
    export DATABASE_URL="$base/$target"
    count_rows >"$WORK/pg-restored.json"
    compare_counts "$WORK/pg-live.json" "$WORK/pg-restored.json" "PostgreSQL"
    "$CUNSHE" migrate --check --no-input -v 0 || fail "PostgreSQL：恢复后的库缺少迁移"
    verify_restored "PostgreSQL"
  )
}

# Called from plain `if` bodies, never from `a && b`: bash ignores `set -e` inside functions called from a list.
start=$SECONDS
checked=""
if [[ $do_sqlite -eq 1 ]]; then
  check_sqlite
  checked+=" SQLite"
fi
if [[ $do_postgres -eq 1 ]]; then
  check_postgres
  checked+=" PostgreSQL"
fi
printf '\n备份与恢复检查通过 (backup/restore check passed):%s，用时 %ss\n' "$checked" "$((SECONDS - start))"
