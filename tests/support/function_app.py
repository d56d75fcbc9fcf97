"""Freshly built `function_app` modules for tests that index or call the registered functions."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

# Every app built stays referenced for the whole session. `get_functions()` may run only once
# per app object, so tests build their own; and AsgiFunctionApp.__del__ calls asyncio.run(),
# which fails when the collector happens to run inside an event loop, turning into an error in
# whichever unrelated test is running at that moment.
_KEPT: list[ModuleType] = []


def fresh_function_app() -> ModuleType:
    sys.modules.pop("function_app", None)
    module = importlib.import_module("function_app")
    sys.modules.pop("function_app", None)
    _KEPT.append(module)
    return module
