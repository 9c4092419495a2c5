#!/usr/bin/env bash
# CI: a fresh clone, nothing installed. Installs what the tests need (Debian packages, node
# modules, k6), then runs the README's test command. Tests that need a missing tool fail under
# CI instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
node --version

# Debian packages, installed when missing (apt-get update once):
# the staging stack's programs (golive staging up; same list as staging/native/programs.ts, a
# unit test checks), and what other integration tests start on loopback (nginx for the TLS and
# headers corpora)
STAGING_PACKAGES="postgresql-15 redis-server haproxy prometheus prometheus-alertmanager prometheus-postgres-exporter openssl"
TEST_PACKAGES="nginx chromium curl"   # chromium: the page-load check and the HTML report tests (never a browser download); curl: the foreign-system test's service script
TEST_PACKAGES="$TEST_PACKAGES python3-venv"   # the real-apps tests: Django/DRF/waitress from PyPI in a venv
TEST_PACKAGES="$TEST_PACKAGES python3-fastapi python3-uvicorn"   # golive init against a FastAPI app and its OpenAPI document
missing=""
for p in $STAGING_PACKAGES $TEST_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "missing Debian packages:$missing (run .ci/run as root to install them)" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $missing
fi

npm ci --no-audit --no-fund
npm run install-tools   # k6, actionlint and miniflux (the third-party app of the foreign-system test) from their Go modules into .tools/bin: no test skips in CI
node --import tsx test/support/real-apps/install.ts   # Django, DRF, waitress (pinned) into .scratch/real-apps/venv, cached
