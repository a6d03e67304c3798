#!/usr/bin/env bash
# ky set-up and entry points (called by the Makefile; may be run directly).
#   scripts/ky.sh install | run | test [pytest args] | worker
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

find_python312() {
  local c
  for c in python3.12 "$(command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/3.12"*/bin/python3.12 \
           /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
    if [ -n "$c" ] && "$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  return 1
}

apt_install() {
  # System packages: Pango + HarfBuzz subset for WeasyPrint, Chromium for browser tests,
  # OpenSSH's sftp-server for the SFTP tests. Only where we are root and they are missing.
  local want=("$@") missing=()
  for p in "${want[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ky: installing system packages: ${missing[*]}" >&2
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "ky: please install these system packages: ${missing[*]}" >&2
  fi
}

install() {
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
  if [ ! -x "$PY" ]; then
    local base
    base="$(find_python312)" || { echo "ky: Python 3.12 is required (python3.12 on PATH or pyenv's 3.12.x). Install it and run again." >&2; exit 1; }
    "$base" -m venv "$VENV"
  fi
  # the exact versions of requirements.lock (pip-compile of pyproject.toml, README "Dependencies"),
  # then ky itself without resolving again
  local stamp="$VENV/.ky-installed" want
  want="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m pip install -q --upgrade pip >/dev/null
    "$PY" -m pip install -q -r requirements.lock
    "$PY" -m pip install -q --no-deps -e .
    # a dependency declared in pyproject.toml but missing from the lock shows here
    "$PY" -m pip check >/dev/null || { "$PY" -m pip check >&2 || true; echo "ky: requirements.lock is behind pyproject.toml; regenerate it (README, 'Checks and dependencies')" >&2; exit 1; }
    echo "$want" > "$stamp"
  fi
}

checks() {
  # Run by `make test` before pytest; each stops the run with the reason.
  "$PY" manage.py makemigrations --check --dry-run >/dev/null || { echo "ky: models changed without a migration (makemigrations --check)" >&2; exit 1; }
  "$VENV/bin/ruff" check --no-cache --quiet . || { echo "ky: ruff found the problems above (fix them, or 'ruff check --fix')" >&2; exit 1; }
  # the layers (README, "Layout of the code"): nothing imports upward
  local out
  out="$("$VENV/bin/lint-imports" --no-cache 2>&1)" || { echo "$out" >&2; echo "ky: an import runs against the layers (lint-imports)" >&2; exit 1; }
  # the committed OpenAPI schema is the API's (README, "Where the documentation is")
  local schema
  schema="$(mktemp)"
  "$PY" manage.py spectacular --validate --fail-on-warn --file "$schema" || { rm -f "$schema"; echo "ky: the OpenAPI schema does not generate cleanly (spectacular --validate --fail-on-warn)" >&2; exit 1; }
  if ! cmp -s "$schema" docs/openapi.yaml; then
    diff -u docs/openapi.yaml "$schema" | head -60 >&2 || true
    rm -f "$schema"
    echo "ky: the API changed but docs/openapi.yaml did not; regenerate it: .venv/bin/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml" >&2
    exit 1
  fi
  rm -f "$schema"
}

case "${1:-}" in
  install)
    install ;;
  run)
    install
    # development: DEBUG, and embedded servers for whichever of DATABASE_URL/REDIS_URL is unset
    export DEBUG="${DEBUG:-1}" KY_EMBEDDED="${KY_EMBEDDED:-1}"
    "$PY" manage.py migrate --no-input
    "$PY" manage.py seed_demo --if-empty
    "$PY" manage.py create_demo_users
    pids=()
    cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
    trap cleanup EXIT INT TERM
    "$PY" manage.py rqworker_ky &
    pids+=($!)
    "$PY" manage.py batch_scheduler &
    pids+=($!)
    "$PY" manage.py runserver 127.0.0.1:8000 --noreload
    ;;
  worker)
    install
    export DEBUG="${DEBUG:-1}" KY_EMBEDDED="${KY_EMBEDDED:-1}"
    exec "$PY" manage.py rqworker_ky ;;
  test)
    shift
    install
    # a test installation (as ky/pytest_env.py for pytest): embedded servers for unset URLs, a throwaway
    # key, plain-HTTP live servers; the production settings are checked by tests/core/test_settings.py
    export KY_EMBEDDED="${KY_EMBEDDED:-1}" KY_HTTPS="${KY_HTTPS:-0}"
    export SECRET_KEY="${SECRET_KEY:-ky-test-run-only-secret-key-not-for-any-installation-0123456789}"
    apt_install chromium openssh-server openssh-sftp-server poppler-utils
    checks
    exec "$VENV/bin/pytest" "$@" ;;
  *)
    echo "usage: $0 {install|run|test|worker}" >&2; exit 2 ;;
esac
