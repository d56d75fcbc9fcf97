"""Imported once by the sandbox's fork server, so each extraction child starts warm (no 0.3 s imports).

PyMuPDF imports its optional layout model and pymupdf4llm when they are installed (about 1 s);
extraction uses neither, so both imports are blocked before PyMuPDF loads.
"""

from __future__ import annotations

import sys


def block_optional_imports() -> None:
    for name in ("pymupdf.layout", "pymupdf4llm"):
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None makes `import name` fail


block_optional_imports()

import docx  # noqa: E402, F401
import pptx  # noqa: E402, F401
import pymupdf  # noqa: E402, F401

import shared.documents.extract.docx  # noqa: E402
import shared.documents.extract.pdf  # noqa: E402
import shared.documents.extract.pptx  # noqa: E402, F401
