"""Why an ingest failed for good: each reason is a permanent `InvalidArgument` with its own code.

The drain dead-letters a permanent error at once; the code is also the stage's `error_code`.
"""

from __future__ import annotations

from shared.platform.errors import InvalidArgument


class IngestRejected(InvalidArgument):
    """The file cannot be ingested as it is; re-sending it cannot help."""

    code = "INGEST_REJECTED"


class UnsupportedFormat(IngestRejected):
    code = "UNSUPPORTED_FORMAT"


class TypeMismatch(IngestRejected):
    code = "TYPE_MISMATCH"


class EncryptedPdf(IngestRejected):
    code = "ENCRYPTED_PDF"


class CorruptFile(IngestRejected):
    code = "CORRUPT_FILE"


class FileTooLarge(IngestRejected):
    code = "FILE_TOO_LARGE"


class ZipBomb(IngestRejected):
    code = "ZIP_BOMB"


class UnsafeXml(IngestRejected):
    code = "UNSAFE_XML"


class ExtractionLimit(IngestRejected):
    """The sandboxed extractor ran out of memory, CPU time, wall time or output space."""

    code = "EXTRACTION_LIMIT"


class ConversionFailed(IngestRejected):
    code = "CONVERSION_FAILED"


class RawMissing(IngestRejected):
    code = "RAW_MISSING"


class NotABlockBlob(IngestRejected):
    """A page or append blob written through the upload SAS (a sparse page blob can claim terabytes)."""

    code = "UPLOAD_NOT_BLOCK_BLOB"


REJECTIONS: dict[str, type[IngestRejected]] = {
    cls.code: cls
    for cls in (
        UnsupportedFormat,
        TypeMismatch,
        EncryptedPdf,
        CorruptFile,
        FileTooLarge,
        ZipBomb,
        UnsafeXml,
        ExtractionLimit,
        ConversionFailed,
        RawMissing,
        NotABlockBlob,
    )
}


def rejection(code: str, message: str) -> IngestRejected:
    """The rejection for `code` (from the sandboxed child), or a generic one for an unknown code."""
    return REJECTIONS.get(code, IngestRejected)(message)
