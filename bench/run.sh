#!/usr/bin/env bash
# `make bench`: every benchmark, one line each; each appends its section to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m bench.media_bench --slides 10 --repeats 3 --record
.venv/bin/python bench/ingest_bench.py --append bench/RESULTS.md
.venv/bin/python -m bench.ai_pipeline --runs 3
.venv/bin/python -m bench.ai_quality --runs 9 --record
.venv/bin/python -m bench.auth_login --users 50 --repeats 30
.venv/bin/python -m bench.canvas_bench --repeats 3 --per-page 3 50 --record
.venv/bin/python -m bench.search_bench --users 200 --clients 20 --rounds 10
.venv/bin/python -m bench.reminders_bench --assignments 10000 --repeats 9 --record
.venv/bin/python -m bench.api_bench --clients 50 --record
.venv/bin/python -m bench.stage_throughput --documents 4 --record
.venv/bin/python -m bench.fairness --heavy 500 --others 50 --record
