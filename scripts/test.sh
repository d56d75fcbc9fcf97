#!/usr/bin/env bash
# Lint, types, then the whole test suite. Services are resolved by the tests themselves:
# the configured Postgres/Redis/Azurite when reachable, project-local ones otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export TESSDATA_PREFIX="${TESSDATA_PREFIX:-$(ls -d /usr/share/tesseract-ocr/*/tessdata 2>/dev/null | head -n1)}"
echo "== ruff"; .venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy --strict"; .venv/bin/mypy
echo "== import contracts"; .venv/bin/lint-imports
echo "== pytest"; .venv/bin/pytest "$@"
