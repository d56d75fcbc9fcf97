"""Bytes in, sections and images out: sniff the real type, check zips, convert legacy, extract sandboxed."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

from shared.documents.errors import IngestRejected, rejection
from shared.documents.extract.base import Rejected
from shared.documents.extract.sandbox import SandboxLimits, SandboxResult, run_extraction
from shared.documents.extract.sniff import check_matches, detect
from shared.documents.extract.zipcheck import ZipLimits, check_zip
from shared.documents.ingest.legacy import TARGET, convert_legacy
from shared.documents.settings import DocumentsSettings


@dataclass(frozen=True)
class Extracted:
    detected: str
    kind: str
    result: SandboxResult


def extract_document(data: bytes, *, filename: str, settings: DocumentsSettings) -> Extracted:
    """Raise an `IngestRejected` subclass (permanent) for a file that cannot be ingested."""
    try:
        return _extract(data, filename, settings)
    except Rejected as exc:
        raise rejection(exc.code, exc.message) from exc


def _extract(data: bytes, filename: str, settings: DocumentsSettings) -> Extracted:
    if len(data) > settings.upload_max_bytes:
        raise Rejected("FILE_TOO_LARGE", f"the file has {len(data)} bytes (limit {settings.upload_max_bytes})")
    zip_limits = ZipLimits(
        max_members=settings.zip_max_members,
        max_uncompressed=settings.zip_max_uncompressed_bytes,
        max_ratio=settings.zip_max_ratio,
        max_member_bytes=settings.zip_max_member_bytes,
        ratio_floor_bytes=settings.zip_ratio_floor_bytes,
    )
    if data.startswith(b"PK\x03\x04"):
        check_zip(data, zip_limits)
    detected = detect(data)
    check_matches(filename, detected)
    kind = detected
    if detected in TARGET:
        data, kind = convert_legacy(
            data, kind=detected, binary=settings.libreoffice_binary, timeout_s=settings.libreoffice_timeout_seconds
        )
        check_zip(data, zip_limits)
    return Extracted(detected, kind, run_extraction(data, kind=kind, limits=sandbox_limits(settings)))


def sandbox_limits(settings: DocumentsSettings) -> SandboxLimits:
    return SandboxLimits(
        memory_mb=settings.extract_memory_mb,
        cpu_seconds=settings.extract_cpu_seconds,
        wall_seconds=settings.extract_wall_seconds,
        output_max_bytes=settings.extract_output_max_bytes,
        max_pages=settings.extract_max_pages,
        tessdata=tessdata_prefix(settings),
        ocr_language=settings.ocr_language,
        ocr_dpi=settings.ocr_dpi,
    )


def tessdata_prefix(settings: DocumentsSettings) -> str | None:
    """TESSDATA_PREFIX from settings or the environment, else Debian's tesseract folder, else None."""
    configured = settings.tessdata_prefix or os.environ.get("TESSDATA_PREFIX")
    if configured:
        return configured
    found = sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"))
    return found[-1] if found else None


__all__ = ["Extracted", "IngestRejected", "extract_document"]
