# One command per habit. Every target installs what it needs first (scripts/bootstrap.sh).
.PHONY: bootstrap dev dev-prod-like test test-unit lint format bench codegen samples lock lock-check clean

bootstrap:
	@bash scripts/bootstrap.sh

dev: bootstrap
	@TESSDATA_PREFIX=$${TESSDATA_PREFIX:-$$(ls -d /usr/share/tesseract-ocr/*/tessdata 2>/dev/null | head -n1)} \
		.venv/bin/studyaid-dev dev

# Production semantics locally: HTTPS (throw-away CA in .local/tls), __Host- cookies, HSTS, CSRF.
dev-prod-like: bootstrap
	@TESSDATA_PREFIX=$${TESSDATA_PREFIX:-$$(ls -d /usr/share/tesseract-ocr/*/tessdata 2>/dev/null | head -n1)} \
		.venv/bin/studyaid-dev dev --prod-like

test: bootstrap
	@bash scripts/test.sh

# The unit tests alone: no Postgres, Redis or Azurite, done in seconds. Those marked slow (they
# start tools or sandboxed children: checkov, tsc, the extraction sandbox) run with `make test`.
test-unit: bootstrap
	@.venv/bin/pytest tests/unit -q -m "unit and not slow"

lint: bootstrap
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy && .venv/bin/lint-imports

format: bootstrap
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench: bootstrap
	@bash bench/run.sh

codegen: bootstrap
	@.venv/bin/python scripts/codegen.py --out clients/typescript

samples: bootstrap
	@.venv/bin/python -m bench.samples

# Recompile the hashed lock files (requirements*.txt) after editing requirements*.in.
lock: bootstrap
	@bash scripts/lock.sh

# Fails when a lock file is out of step with its .in file (resolves against the package index).
lock-check: bootstrap
	@bash scripts/lock.sh --check

clean:
	rm -rf .venv node_modules .mypy_cache .ruff_cache .pytest_cache
