#!/usr/bin/env bash
# bench.sh runs BenchmarkEndToEnd and, in the same run, the same benchmark
# on the commit before the performance work (d49f25e, in a temporary git
# worktree), then writes docs/performance.md from the figures.
#   HOSO_BENCH_N      dossiers per run (default 60)
#   HOSO_BENCH_BASE   commit to compare with (default d49f25e; "none" skips it)
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"
N="${HOSO_BENCH_N:-60}"
BASE="${HOSO_BENCH_BASE:-d49f25e}"
out="$(mktemp -d)"
trap 'rm -rf "$out"; if [[ -n "${wt:-}" ]]; then git worktree remove --force "$wt" >/dev/null 2>&1 || true; fi' EXIT

rate() { awk '/^BenchmarkEndToEnd/ { for (i = 2; i < NF; i++) if ($(i+1) == "dossiers/s") print $i }' "$1" | tail -1; }

baseline=""
if [[ "$BASE" != "none" ]] && git cat-file -e "$BASE^{commit}" 2>/dev/null; then
  wt="$out/base"
  git worktree add --detach "$wt" "$BASE" >/dev/null 2>&1
  echo "bench: $BASE (before) — go test -run '^\$' -bench EndToEnd -benchtime ${N}x ./internal/service/"
  (cd "$wt" && $GO test -run '^$' -bench EndToEnd -benchtime "${N}x" -timeout 30m ./internal/service/) | tee "$out/base.txt"
  baseline="$(rate "$out/base.txt")"
fi

cmd="scripts/bench.sh (go test -run '^\$' -bench EndToEnd -benchtime ${N}x ./internal/service/)"
echo "bench: this tree — $cmd"
HOSO_BENCH_BASELINE="$baseline" HOSO_PERF_DOC="$PWD/docs/performance.md" HOSO_PERF_COMMAND="$cmd" \
  $GO test -run '^$' -bench EndToEnd -benchtime "${N}x" -timeout 30m ./internal/service/ | tee "$out/new.txt"
echo "bench: wrote docs/performance.md"
