"""Run the stub Canvas in the foreground for local development and print the settings that point at it."""

from __future__ import annotations

import argparse

from devtools.canvas_stub.server import CanvasStub
from devtools.devhost.waiting import wait_until_stopped
from shared.canvas.adapters.crypto import new_key_text


def dev_environment(stub: CanvasStub, *, api_port: int) -> dict[str, str]:
    """The settings that point a local app at this stub."""
    return {
        "CANVAS_BASE_URL": stub.base_url,
        "CANVAS_CLIENT_ID": stub.state.client_id,
        "CANVAS_CLIENT_SECRET": stub.state.client_secret,
        "CANVAS_REDIRECT_URI": f"http://127.0.0.1:{api_port}/v1/canvas/callback",
        "CANVAS_FILE_HOSTS": f'["{stub.files_url}"]',
        "CANVAS_ALLOW_PRIVATE_HOSTS": "true",
        "TOKEN_ENCRYPTION_KEYS": new_key_text("local1"),
        "TOKEN_ENCRYPTION_ACTIVE_KEY": "local1",
    }


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (the arguments of `options.add_arguments`)."""
    stub = CanvasStub(args.fixtures, port=args.port, files_port=args.files_port).start()
    print("Stub Canvas running. Put these in local.settings.json Values (or the environment):", flush=True)  # noqa: T201
    for name, value in dev_environment(stub, api_port=args.api_port).items():
        print(f"{name}={value}", flush=True)  # noqa: T201 - values a developer copies
    try:
        wait_until_stopped()
    finally:
        stub.stop()
    return 0
