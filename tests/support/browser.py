"""What the browser journey needs: the page built from TypeScript, served over HTTPS from its own
origin, and Debian's Chromium trusting the throw-away local CA for real (an NSS database in a
private HOME), so Secure and `__Host-` cookies behave as they do in production.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Playwright

from devtools.devhost.local_ca import LocalTls
from tests.support import documents_files

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE_SOURCES = REPO_ROOT / "tests" / "browser"
CLIENT = REPO_ROOT / "clients" / "typescript"
CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip


def build_pages(out: Path, *, api_base: str) -> Path:
    """Compile the pages' TypeScript with the generated client (type-checked), write the HTML and a tiny PDF."""
    sources = [CLIENT / "client.ts", CLIENT / "routes.ts", PAGE_SOURCES / "journey.ts", PAGE_SOURCES / "foreign.ts"]
    command = [
        str(REPO_ROOT / "node_modules" / ".bin" / "tsc"), "--outDir", str(out), "--rootDir", str(REPO_ROOT),
        "--module", "ESNext", "--target", "ES2022", "--moduleResolution", "Bundler",
        "--lib", "ES2022,DOM,DOM.Iterable", "--strict", "--skipLibCheck", *map(str, sources),
    ]  # fmt: skip
    compiled = subprocess.run(command, capture_output=True, text=True, check=False)
    if compiled.returncode != 0:
        raise AssertionError(f"tsc failed:\n{compiled.stdout}{compiled.stderr}")
    for name in ("index.html", "foreign.html"):
        html = (PAGE_SOURCES / name).read_text().replace("__API_BASE__", api_base)
        (out / name).write_text(html)
    (out / "tiny.pdf").write_bytes(documents_files.text_pdf(1))
    return out


class _Handler(SimpleHTTPRequestHandler):
    """Static files; ES module imports name no extension (`./routes`), so those map to `.js`."""

    def translate_path(self, path: str) -> str:
        translated = super().translate_path(path)
        if not Path(translated).exists() and Path(translated + ".js").exists():
            return translated + ".js"
        return translated

    def guess_type(self, path: Any) -> str:
        return "text/javascript" if str(path).endswith(".js") else super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - quiet
        return


@contextmanager
def serving(root: Path, tls: LocalTls, *, port: int) -> Iterator[str]:
    """`root` on https://localhost:<port> until the block ends; yields the origin."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, directory=str(root)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tls.cert), str(tls.key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()


def home_trusting(ca: Path, home: Path) -> Path:
    """A HOME whose NSS database (what Chromium on Linux trusts) holds `ca` as a TLS authority."""
    certutil = shutil.which("certutil")
    if certutil is None:
        raise AssertionError("certutil is missing (Debian's libnss3-tools); run `make bootstrap`")
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True, exist_ok=True)
    subprocess.run([certutil, "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True, capture_output=True)
    add = [certutil, "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "studyaid local CA", "-i", str(ca)]
    subprocess.run(add, check=True, capture_output=True)
    return home


def launch_chromium(playwright: Playwright, *, home: Path) -> Browser:
    if not Path(CHROMIUM).exists():
        raise AssertionError(f"{CHROMIUM} is missing (Debian's chromium); run `make bootstrap`")
    env: dict[str, str | float | bool] = {**os.environ, "HOME": str(home)}
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
