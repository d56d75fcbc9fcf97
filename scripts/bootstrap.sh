#!/usr/bin/env bash
# Installs everything the project needs, idempotently: Debian packages (when missing), the
# Python virtual environment, and the npm packages (Azurite). Safe to run on every `make`.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
have ffmpeg || need_apt+=(ffmpeg)
have espeak-ng || need_apt+=(espeak-ng)
have tesseract || need_apt+=(tesseract-ocr tesseract-ocr-eng)
have soffice || need_apt+=(libreoffice-writer-nogui libreoffice-impress-nogui)
have redis-server || need_apt+=(redis-server)
{ have initdb || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need_apt+=(postgresql)
have node || need_apt+=(nodejs)
have npm || need_apt+=(npm)
[ -d /usr/share/fonts/truetype/dejavu ] || need_apt+=(fonts-dejavu-core)
# The browser journey test (tests/e2e/test_browser_journey.py): Debian's Chromium, and certutil to
# make it trust the throw-away local CA.
have chromium || need_apt+=(chromium)
have certutil || need_apt+=(libnss3-tools)
"$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# pip, without the lines some machines' pip configuration prints for every package (index
# locations that do not exist there); pip's own exit status is kept (pipefail).
quiet_pip() {
  "$@" 2>&1 | { grep -v "^WARNING: Location '.*' is ignored" || true; }
}

# Python: a venv, reinstalled only when the lock files change. requirements-dev.txt is the lock of
# requirements-dev.in (every package pinned, with hashes; scripts/lock.sh writes it): pip refuses any
# file whose hash is not in it. The project itself goes in afterwards, editable and without deps.
stamp=.venv/.requirements.sha
want=$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing Python packages into .venv"
  quiet_pip .venv/bin/python -m pip install -q --upgrade pip
  quiet_pip .venv/bin/python -m pip install -q --require-hashes -r requirements-dev.txt
  quiet_pip .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi

# Tools with dependency pins that clash with the app's (checkov): a separate venv, .venv-tools.
tools_stamp=.venv-tools/.requirements.sha
tools_want=$(sha256sum requirements-tools.txt | cut -d' ' -f1)
if [ "$(cat "$tools_stamp" 2>/dev/null)" != "$tools_want" ]; then
  echo "bootstrap: installing tool packages into .venv-tools"
  [ -x .venv-tools/bin/python ] || "$PYTHON" -m venv .venv-tools
  quiet_pip .venv-tools/bin/python -m pip install -q --upgrade pip
  quiet_pip .venv-tools/bin/python -m pip install -q --require-hashes -r requirements-tools.txt
  echo "$tools_want" > "$tools_stamp"
fi

# npm: Azurite (and later the TypeScript client tools), reinstalled when package files change.
npm_stamp=node_modules/.package.sha
npm_want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_want" ]; then
  echo "bootstrap: installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  echo "$npm_want" > "$npm_stamp"
fi
