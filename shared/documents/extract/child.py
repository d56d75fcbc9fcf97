"""The sandboxed extractor: `python -m shared.documents.extract.child ...` (run by `sandbox.py`).

It limits itself first (address space, CPU seconds, largest file written), then reads one input
file and writes `result.json` plus `images/*` into the output folder, or `error.json` with a
rejection code. A crash or a limit kills only this process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

from shared.documents.extract.base import Extraction, Rejected

EXIT_REJECTED = 3
EXIT_MEMORY = 4
EXIT_FAILED = 5


def _limit(memory_mb: int, cpu_s: int, fsize: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="extract-child")
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--kind", required=True, choices=["pdf", "docx", "pptx"])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--max-pages", type=int, default=2000)
    parser.add_argument("--memory-mb", type=int, default=1536)
    parser.add_argument("--cpu-seconds", type=int, default=120)
    parser.add_argument("--max-file-bytes", type=int, default=256 * 1024 * 1024)
    parser.add_argument("--ocr", action="store_true")
    parser.add_argument("--tessdata", default=None)
    parser.add_argument("--ocr-language", default="eng")
    parser.add_argument("--ocr-dpi", type=int, default=200)
    return parser.parse_args(argv)


def _extract(args: argparse.Namespace) -> Extraction:
    data = args.input.read_bytes()
    if args.kind == "pdf":
        from shared.documents.extract.pdf import OcrConfig, extract_pdf

        ocr = OcrConfig(args.tessdata, args.ocr_language, args.ocr_dpi) if args.ocr else None
        return extract_pdf(data, max_pages=args.max_pages, ocr=ocr)
    if args.kind == "docx":
        from shared.documents.extract.docx import extract_docx

        return extract_docx(data)
    from shared.documents.extract.pptx import extract_pptx

    return extract_pptx(data)


def _rasterise_svg(extraction: Extraction) -> None:
    """SVG can carry script wherever it is opened: keep its pixels (PNG), drop it if it will not render."""
    import pymupdf

    for ref, (ext, data) in list(extraction.images.items()):
        if ext != "svg":
            continue
        try:
            with pymupdf.open("svg", data) as svg:  # type: ignore[no-untyped-call]  # untyped in the stubs
                pixmap: pymupdf.Pixmap = svg[0].get_pixmap(alpha=False)
                extraction.images[ref] = ("png", pixmap.tobytes("png"))  # type: ignore[no-untyped-call]
        except (RuntimeError, ValueError):
            del extraction.images[ref]


def _write(out: Path, extraction: Extraction) -> None:
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    for ref, (ext, data) in extraction.images.items():
        (images / f"{ref}.{ext}").write_bytes(data)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    summary = {**extraction.summary(), "cpu_s": round(usage.ru_utime + usage.ru_stime, 4)}
    (out / "result.json").write_text(json.dumps(summary))


def _error(out: Path, code: str, message: str, exit_code: int, detail: str = "") -> int:
    """`message` is shown to the user; `detail` (parser internals) only reaches the worker's log."""
    failure = {"code": code, "message": message[:2000], "detail": detail[:2000]}
    (out / "error.json").write_text(json.dumps(failure))
    return exit_code


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    _limit(args.memory_mb, args.cpu_seconds, args.max_file_bytes)
    from shared.documents.extract.preload import block_optional_imports

    block_optional_imports()
    try:
        extraction = _extract(args)
        _rasterise_svg(extraction)
        _write(args.out, extraction)
    except Rejected as exc:
        return _error(args.out, exc.code, exc.message, EXIT_REJECTED)
    except MemoryError:
        return _error(args.out, "EXTRACTION_LIMIT", "extraction needed more memory than allowed", EXIT_MEMORY)
    # The sandbox boundary: any other failure of a parser on this file is the file's problem.
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
        return _error(args.out, "CORRUPT_FILE", "the file could not be parsed", EXIT_FAILED, detail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
