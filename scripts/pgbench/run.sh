#!/usr/bin/env bash
# What PostgreSQL spends on a dossier's five stage commits, as five
# transactions (what hoso does: each stage commits its inbox row, its
# effects and the dossier's move) and as one, on hoso's own schema.
# Usage: scripts/pgbench/run.sh [seconds per run, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
rounds=${2:-3}
base=${PGBENCH_URL:-postgres://postgres@127.0.0.1:5432}
db=hoso_pgbench
psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
DATABASE_URL="$base/$db?sslmode=disable" go run ./cmd/hoso migrate >/dev/null
for r in $(seq "$rounds"); do
	for s in five-transactions one-transaction; do
		tps=$(pgbench "$base/$db" -n -M prepared -c 2 -j 2 -T "$secs" -f "scripts/pgbench/$s.sql" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
		echo "round $r  $s  $tps dossiers/s"
	done
done
psql "$base/postgres" -qc "DROP DATABASE $db"
