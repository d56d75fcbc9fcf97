"""Settings of the documents context: upload cap, extraction sandbox limits, zip and LibreOffice limits."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class DocumentsSettings(BaseSettings):
    """Limits that keep one hostile or huge file from hurting the worker or other users."""

    upload_max_bytes: int = Field(default=25 * 1024 * 1024, alias="UPLOAD_MAX_BYTES", ge=1)
    uploads_per_minute: int = Field(default=30, alias="UPLOADS_PER_MINUTE", ge=1)
    extract_memory_mb: int = Field(default=1536, alias="EXTRACT_MEMORY_MB", ge=128)
    extract_cpu_seconds: int = Field(default=120, alias="EXTRACT_CPU_SECONDS", ge=1)
    extract_wall_seconds: float = Field(default=180.0, alias="EXTRACT_WALL_SECONDS", gt=0)
    extract_output_max_bytes: int = Field(default=256 * 1024 * 1024, alias="EXTRACT_OUTPUT_MAX_BYTES", ge=1024)
    extract_max_pages: int = Field(default=2000, alias="EXTRACT_MAX_PAGES", ge=1)
    libreoffice_timeout_seconds: float = Field(default=120.0, alias="LIBREOFFICE_TIMEOUT_SECONDS", gt=0)
    libreoffice_binary: str = Field(default="soffice", alias="LIBREOFFICE_BINARY")
    zip_max_members: int = Field(default=2000, alias="ZIP_MAX_MEMBERS", ge=1)
    zip_max_uncompressed_bytes: int = Field(default=300 * 1024 * 1024, alias="ZIP_MAX_UNCOMPRESSED_BYTES", ge=1)
    zip_max_ratio: float = Field(default=100.0, alias="ZIP_MAX_RATIO", gt=1)
    zip_max_member_bytes: int = Field(default=128 * 1024 * 1024, alias="ZIP_MAX_MEMBER_BYTES", ge=1)
    zip_ratio_floor_bytes: int = Field(default=16 * 1024 * 1024, alias="ZIP_RATIO_FLOOR_BYTES", ge=0)
    ocr_language: str = Field(default="eng", alias="OCR_LANGUAGE")
    ocr_dpi: int = Field(default=200, alias="OCR_DPI", ge=72, le=600)
    tessdata_prefix: str | None = Field(default=None, alias="TESSDATA_PREFIX")
    reconcile_after_seconds: int = Field(default=600, alias="RECONCILE_AFTER_SECONDS", ge=10)
    reconcile_max_attempts: int = Field(default=5, alias="RECONCILE_MAX_ATTEMPTS", ge=1)
