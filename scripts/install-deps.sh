#!/usr/bin/env bash
# install-deps.sh installs what hoso needs on a Debian machine and is missing:
#   - pgvector for the local PostgreSQL (built from Debian's source package,
#     because this Debian release does not ship a binary package for PG 15);
#   - poppler-utils (pdftotext, pdftoppm), tesseract-ocr with the Vietnamese model;
#   - chromium and chromium-driver for the browser tests;
#   - fonts-dejavu-core (Vietnamese glyphs for generated PDFs).
# It is idempotent: every step checks first and does nothing when satisfied.
# Set HOSO_SKIP_INSTALL=1 to skip it entirely (for example on a managed host).
set -euo pipefail

if [[ "${HOSO_SKIP_INSTALL:-}" == "1" ]]; then
  echo "install-deps: HOSO_SKIP_INSTALL=1, skipping"; exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi

PGVER="${HOSO_PG_VERSION:-15}"
PG_CONFIG="/usr/lib/postgresql/${PGVER}/bin/pg_config"
apt_updated=0
apt_update() {
  if [[ $apt_updated == 0 ]]; then
    $SUDO apt-get update -qq >/dev/null
    apt_updated=1
  fi
}
need_pkgs=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

for p in poppler-utils tesseract-ocr tesseract-ocr-vie fonts-dejavu-core chromium chromium-driver; do
  have "$p" || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  echo "install-deps: installing ${need_pkgs[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# pgvector: present when the extension control file exists for this PG version.
sharedir="$("$PG_CONFIG" --sharedir 2>/dev/null || echo /usr/share/postgresql/${PGVER})"
if [[ -f "$sharedir/extension/vector.control" ]]; then
  echo "install-deps: pgvector already installed"
else
  echo "install-deps: building pgvector from Debian's source package (about 25 s)"
  if ! grep -rqs "^deb-src .* trixie " /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
    echo "deb-src http://deb.debian.org/debian trixie main" | $SUDO tee /etc/apt/sources.list.d/hoso-trixie-src.list >/dev/null
    apt_updated=0
  fi
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "postgresql-server-dev-${PGVER}" dpkg-dev build-essential >/dev/null
  build="$(mktemp -d)"
  (
    cd "$build"
    apt-get source -qq pgvector >/dev/null 2>&1 || apt-get source pgvector
    cd pgvector-*/
    make -s PG_CONFIG="$PG_CONFIG" >/dev/null
    $SUDO make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
  )
  rm -rf "$build"
  echo "install-deps: pgvector installed"
fi

# pg_stat_statements: BenchmarkEndToEnd (make bench) splits PostgreSQL's time
# by query family with it. It ships with PostgreSQL but must be preloaded,
# which takes a restart of the local cluster; only a local cluster that
# this script can reach and restart is changed (HOSO_SKIP_PG_RESTART=1
# leaves it alone; the benchmark then notes the missing column).
PSQL="psql -h 127.0.0.1 -U ${PGUSER:-root} -d postgres -Atq"
if [[ "${HOSO_SKIP_PG_RESTART:-}" != "1" ]] && command -v psql >/dev/null && preload="$($PSQL -c 'SHOW shared_preload_libraries' 2>/dev/null)"; then
  if [[ ",${preload// /}," == *",pg_stat_statements,"* ]]; then
    echo "install-deps: pg_stat_statements already preloaded"
  elif command -v pg_ctlcluster >/dev/null; then
    want="pg_stat_statements"
    if [[ -n "${preload// /}" ]]; then want="${preload// /},pg_stat_statements"; fi
    $PSQL -c "ALTER SYSTEM SET shared_preload_libraries = '${want}'"
    echo "install-deps: preloading pg_stat_statements; restarting PostgreSQL ${PGVER}"
    # A failed restart must not fail make test or make demo: the benchmark
    # only loses a column. Wait for the cluster to answer again either way.
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$PGVER" main restart ||
      echo "install-deps: could not restart PostgreSQL ${PGVER}; the benchmark skips the query-family column"
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q 2>/dev/null && break; sleep 1; done
  else
    echo "install-deps: pg_stat_statements not preloaded and no pg_ctlcluster to restart PostgreSQL; the benchmark skips that column"
  fi
fi
