#!/usr/bin/env bash
# `make bench`: every benchmark, one line each; each appends its section to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m bench.media_bench --slides 10 --repeats 3 --record
.venv/bin/python bench/ingest_bench.py --append bench/RESULTS.md
# Real LaTeX manuals with hand-transcribed tables (bench/fidelity_real.py): a benchmark's need, not a test's.
if [ ! -f /usr/share/doc/texlive-doc/latex/booktabs/booktabs.pdf ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends texlive-latex-recommended-doc >/dev/null
fi
.venv/bin/python bench/fidelity_bench.py --append bench/RESULTS.md
.venv/bin/python -m bench.sandbox_bench --repeats 7 --record
.venv/bin/python -m bench.ai_pipeline --runs 3
.venv/bin/python -m bench.ai_quality --runs 9 --record
.venv/bin/python -m bench.auth_login --users 50 --repeats 30
.venv/bin/python -m bench.canvas_bench --repeats 3 --per-page 3 50 --record
.venv/bin/python -m bench.search_bench --users 200 --clients 20 --rounds 10
.venv/bin/python -m bench.reminders_bench --assignments 10000 --repeats 9 --record
.venv/bin/python -m bench.api_bench --driver raw --clients 50 --record
.venv/bin/python -m bench.functions_bench --record
.venv/bin/python -m bench.stage_throughput --documents 4 --record
.venv/bin/python -m bench.soak --users 60 --canvas-users 8 --weeks 8 --uploads-per-week 0.5 --record
.venv/bin/python -m bench.fairness --heavy 500 --others 50 --record
