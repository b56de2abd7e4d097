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
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

id="('d-' || cast(:client_id as text) || '-' || cast(:n as text))"
# commit STAGE NEXT FINDINGS: one stage's group-commit statement for one
# call, as completeRuns in internal/store/store.go writes it (copied by
# hand: change it with that statement).
commit() {
	cat <<SQL
WITH v AS (SELECT * FROM unnest(ARRAY[$id]::text[], ARRAY['$1']::text[], ARRAY['h']::text[], ARRAY[now()]::timestamptz[], ARRAY[1]::int[], ARRAY['']::text[], ARRAY['$2']::text[], ARRAY['processing']::text[], ARRAY['']::text[]) WITH ORDINALITY AS v(dossier_id, stage, input_hash, started_at, delivery, detail, next, status, version, ord)), r AS (INSERT INTO stage_runs (dossier_id, stage, input_hash, started_at, delivery, detail) SELECT dossier_id, stage, input_hash, started_at, delivery, detail FROM v ORDER BY ord ON CONFLICT DO NOTHING RETURNING dossier_id), f AS (INSERT INTO findings (dossier_id, key, kind, requirement, status, evidence, document_id, severity, citations, details) SELECT r.dossier_id, 'k' || g, 'completeness', 'req' || g, 'present', 'evidence text here', NULL, 'info', '[{"document":"Nghị định 123/2015/NĐ-CP","article":"Điều 16","quote":"Người đi đăng ký khai sinh nộp tờ khai theo mẫu quy định và Giấy chứng sinh cho cơ quan đăng ký hộ tịch."}]'::jsonb, '{"a":1}'::jsonb FROM r, generate_series(1, $3) g ON CONFLICT (dossier_id, key) DO UPDATE SET status = EXCLUDED.status) UPDATE dossiers d SET stage = v.next, stage_since = now(), status = v.status, updated_at = now() FROM r JOIN v ON v.dossier_id = r.dossier_id WHERE d.id = r.dossier_id RETURNING v.ord;
SQL
}
stages="intake:extract:0 extract:classify:0 classify:check:0 check:suggest:17 suggest:done:0"
begin=$'\\startpipeline\nBEGIN;\nSET LOCAL synchronous_commit = off;'
end=$'COMMIT;\n\\endpipeline'
dossier() {
	echo '\set n random(1, 9000000000000000000)'
	echo "INSERT INTO dossiers (id, procedure_code, applicant_id, agency, idempotency_key, submitted_at, stage, status) VALUES ($id, '1.001193', '001090012345', 'ubnd', $id, now(), 'intake', 'received');"
}
{
	dossier
	for s in $stages; do
		IFS=: read -r st next nf <<<"$s"
		echo "$begin"; commit "$st" "$next" "$nf"; echo "$end"
	done
} >"$work/five-transactions.sql"
{
	dossier
	echo "$begin"
	for s in $stages; do
		IFS=: read -r st next nf <<<"$s"
		commit "$st" "$next" "$nf"
	done
	echo "$end"
} >"$work/one-transaction.sql"

psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
DATABASE_URL="$base/$db?sslmode=disable" go run ./cmd/hoso migrate >/dev/null
for r in $(seq "$rounds"); do
	for s in five-transactions one-transaction; do
		tps=$(pgbench "$base/$db" -n -M prepared -c 2 -j 2 -T "$secs" -f "$work/$s.sql" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
		echo "round $r  $s  ${tps:-failed} dossiers/s"
	done
done
psql "$base/postgres" -qc "DROP DATABASE $db"
