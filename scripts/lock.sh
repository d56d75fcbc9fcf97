#!/usr/bin/env bash
# Compiles the pinned sources (requirements.in, requirements-dev.in, requirements-tools.in) into lock
# files with every transitive dependency and its hashes (requirements*.txt), for Linux x86_64 and
# Python 3.11 as Azure Functions runs the app. The development lock is constrained by the run-time
# lock, so both environments get the same versions. `--check` compiles into a scratch folder and
# fails when the committed lock files differ (needs the package index).
set -euo pipefail
cd "$(dirname "$0")/.."

UV="${UV:-$PWD/.venv/bin/uv}"
out=.
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  cp requirements.in requirements-dev.in requirements-tools.in "$out/"
fi

compile() {
  "$UV" pip compile --quiet --no-config --generate-hashes --python-version 3.11 \
    --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" "$@"
}
(
  cd "$out"
  compile requirements.in --output-file requirements.txt
  compile requirements-dev.in --constraint requirements.txt --output-file requirements-dev.txt
  # checkov's own virtualenv (.venv-tools): its pins clash with the app's, so no shared constraint.
  compile requirements-tools.in --output-file requirements-tools.txt
)

if [ "$out" != . ]; then
  status=0
  for lock in requirements.txt requirements-dev.txt requirements-tools.txt; do
    diff -u "$lock" "$out/$lock" || { echo "lock: $lock is out of step with its .in file; run make lock" >&2; status=1; }
  done
  exit $status
fi
